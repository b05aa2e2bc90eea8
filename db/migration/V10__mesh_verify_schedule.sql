-- A mesh's verification schedule (issue 22): verify every so often, and repair by its policy.
create table mesh_verify_schedule (
    mesh            varchar(63) primary key,
    every_seconds   bigint      not null check (every_seconds >= 60),
    passes          int         not null,
    keys_per_second int         not null,
    repair          boolean     not null,
    policy          jsonb,
    updated_at      timestamptz not null
);
