-- Envoy proxies: per-region proxy settings, and the proxies known from their xDS streams.

-- JSON of the region's proxy settings (listen port, timeouts, read policy, prefix routes ...);
-- null: the defaults of redmesh.proxy.*
alter table region add column proxy_settings text;

create table proxy (
    id                varchar(255) primary key,
    region            varchar(63),
    address           varchar(300),
    envoy_version     varchar(127),
    control_plane     varchar(255),
    connected         boolean      not null,
    first_seen        timestamptz  not null,
    last_seen         timestamptz  not null,
    version_sent      varchar(127),
    version_acked     varchar(127),
    nack_version      varchar(127),
    nack_type         varchar(255),
    nack_error        text,
    nacked_at         timestamptz
);
