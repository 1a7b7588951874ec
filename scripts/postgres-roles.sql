-- The two PostgreSQL roles of the OICTS case system, made once by a superuser with psql:
--
--   psql -v owner=oicts_owner -v app=oicts_app -v database=oicts -f scripts/postgres-roles.sql
--
-- owner owns the database and its tables and runs the migrations (`flask db upgrade`); app is
-- the role the application connects as. Neither is a superuser, so neither can set
-- session_replication_role; only owner can switch a table's triggers off. After each upgrade,
-- owner runs `flask db grant-app-role oicts_app`, which lets app use every table but never
-- change or remove an audit event. Without -v database the roles alone are made. Passwords
-- (or certificates) are set apart, e.g. with \password oicts_app.
\set ON_ERROR_STOP on

SELECT format('CREATE ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS', :'owner')
WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'owner') \gexec

SELECT format('CREATE ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS', :'app')
WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'app') \gexec

\if :{?database}
SELECT format('CREATE DATABASE %I OWNER %I', :'database', :'owner')
WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = :'database') \gexec
SELECT format('ALTER DATABASE %I OWNER TO %I', :'database', :'owner') \gexec

-- Nobody else may connect or create anything in it.
SELECT format('REVOKE ALL ON DATABASE %I FROM PUBLIC', :'database') \gexec
\connect :"database"
REVOKE ALL ON SCHEMA public FROM PUBLIC;
SELECT format('ALTER SCHEMA public OWNER TO %I', :'owner') \gexec
\endif
