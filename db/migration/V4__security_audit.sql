-- Security: API tokens (only a hash of the secret part is kept), Redis passwords encrypted at rest,
-- and an audit trail of every mutating API call.

-- The column now holds AES-GCM ciphertext ("v1:<key id>:<base64>"). A value written before this
-- migration is still plain text; the control plane encrypts such values at its next start.
alter table cluster rename column password to password_ciphertext;

create table api_token (
    id           varchar(32)  primary key,
    name         varchar(127) not null unique,
    role         varchar(16)  not null check (role in ('VIEWER', 'OPERATOR', 'ADMIN', 'WORKER', 'PROXY')),
    secret_hash  bytea        not null,
    created_at   timestamptz  not null,
    created_by   varchar(127) not null,
    expires_at   timestamptz,
    last_used_at timestamptz,
    revoked_at   timestamptz
);

create table audit_entry (
    id            bigserial    primary key,
    at            timestamptz  not null,
    actor         varchar(127) not null,
    role          varchar(16),
    method        varchar(8)   not null,
    path          varchar(512) not null,
    status        int          not null,
    resource_type varchar(32),
    resource_id   varchar(255),
    before        text,
    after         text
);
create index audit_entry_at_idx on audit_entry (at desc);
create index audit_entry_resource_idx on audit_entry (resource_type, resource_id, at desc);
