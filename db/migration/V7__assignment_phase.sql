-- An assignment's phase is one of the worker's AssignmentPhase values (issue 20). Rows written
-- before carried free text; anything else than these is forgotten (the next heartbeat reports it).
update assignment set phase = null
where phase is not null
  and phase not in ('STARTING', 'CONNECTING', 'FULL_SYNC', 'STREAMING', 'DISCONNECTED', 'FENCED', 'FAILED');
alter table assignment add constraint assignment_phase_known check (
    phase is null or phase in ('STARTING', 'CONNECTING', 'FULL_SYNC', 'STREAMING', 'DISCONNECTED', 'FENCED', 'FAILED'));
