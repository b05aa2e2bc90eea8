-- Where a keyspace capture's resync is (issue 21): NONE, RECONCILING (comparing, or restoring what
-- the target lacks: the link does not cover its source's writes meanwhile) or WAITING (only keys the
-- target holds differently are left, waiting for the links into the source). The control plane
-- tells every resync how far the links into its source cover (FleetProtocol.Orders.covered), and a
-- resync reverts or deletes a target's key only past that.
alter table assignment add column resync varchar(16) not null default 'NONE';
alter table assignment add constraint assignment_resync_known check (resync in ('NONE', 'RECONCILING', 'WAITING'));
