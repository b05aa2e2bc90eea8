-- Verifications (issue 22): a mesh's members compared key by key, in passes; what still differs
-- after the last pass is stored (up to a cap) with what every region holds, for a repair.
create table verification (
    id               varchar(36)  primary key,
    mesh             varchar(63)  not null,
    state            varchar(16)  not null check (state in ('RUNNING', 'DONE', 'FAILED', 'CANCELLED')),
    passes           int          not null,
    match_pattern    varchar(512) not null,
    keys_per_second  int          not null,
    interval_ms      int          not null,
    ttl_tolerance_ms bigint       not null,
    keys_checked     bigint       not null default 0,
    keys_estimated   bigint       not null default 0,
    pass_candidates  jsonb        not null default '[]',
    divergent_keys   bigint,
    kinds            jsonb        not null default '{}',
    reason           text,
    owner            varchar(127) not null,
    requested_by     varchar(127) not null,
    repair           jsonb,
    created_at       timestamptz  not null,
    updated_at       timestamptz  not null,
    finished_at      timestamptz
);
create index verification_mesh_idx on verification (mesh, created_at desc);

create table verification_key (
    verification_id varchar(36) not null references verification (id) on delete cascade,
    seq             int         not null,
    db              int         not null,
    key             bytea       not null,
    kind            varchar(8)  not null check (kind in ('MISSING', 'TYPE', 'VALUE', 'TTL')),
    regions         jsonb       not null,
    primary key (verification_id, seq)
);
