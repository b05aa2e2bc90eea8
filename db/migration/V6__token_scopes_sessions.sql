-- Security, round two (issue 19).

-- A machine token acts as one identity: a WORKER token as one worker id (or the ids with a prefix,
-- "pool-a-*"), a PROXY token as the proxies of one region (node ids by the same kind of pattern).
-- Tokens made before this migration have no scope and act as any worker or proxy, as they did;
-- the control plane warns about each at start.
alter table api_token add column worker_scope varchar(128);
alter table api_token add column proxy_region varchar(127);
alter table api_token add column proxy_node_scope varchar(128);
alter table api_token add constraint api_token_scope_fits_role check (
    (worker_scope is null or role = 'WORKER') and (proxy_region is null and proxy_node_scope is null or role = 'PROXY'));

-- Dashboard sessions, kept server-side so that signing out ends one at once on every control plane,
-- and a session dies with the token that opened it — a stored token revoked, or the configured admin
-- token replaced (admin_token_hash no longer matching it).
create table dashboard_session (
    id_hash          bytea        primary key,
    token_id         varchar(32)  references api_token (id) on delete cascade,
    admin_token_hash bytea,
    name             varchar(127) not null,
    role             varchar(16)  not null check (role in ('VIEWER', 'OPERATOR', 'ADMIN')),
    created_at       timestamptz  not null,
    expires_at       timestamptz  not null,
    revoked_at       timestamptz,
    check ((token_id is null) <> (admin_token_hash is null))
);
create index dashboard_session_expires_idx on dashboard_session (expires_at);
