extension PostgresMigration {
    /// The tables of DESIGN.md's data model (the HLD's ER diagram, section 4.1) plus outbox,
    /// llm_usage and api_tokens, with the indexes the coordinator queries.
    static let initial = PostgresMigration(version: 1, name: "initial", sql: #"""
        CREATE TABLE users (
            id          bigserial PRIMARY KEY,
            username    text NOT NULL UNIQUE,
            email       text,
            role        text NOT NULL DEFAULT 'user' CHECK (role IN ('admin', 'operator', 'user', 'viewer')),
            created_at  timestamptz NOT NULL DEFAULT now()
        );

        CREATE TABLE workflows (
            id                 bigserial PRIMARY KEY,
            owner_id           bigint REFERENCES users (id),
            name               text NOT NULL,
            dsl                text NOT NULL,
            nl_description     text,
            parsed_definition  jsonb,
            status             text NOT NULL DEFAULT 'ACTIVE' CHECK (status IN ('DRAFT', 'ACTIVE', 'DEPRECATED', 'ARCHIVED')),
            optimization_score integer,
            ai_suggestions     jsonb NOT NULL DEFAULT '[]',
            created_at         timestamptz NOT NULL DEFAULT now(),
            updated_at         timestamptz NOT NULL DEFAULT now()
        );
        CREATE UNIQUE INDEX workflows_owner_name ON workflows (coalesce(owner_id, 0), name);

        -- Immutable: a definition change is a new version.
        CREATE TABLE workflow_versions (
            id                bigserial PRIMARY KEY,
            workflow_id       bigint NOT NULL REFERENCES workflows (id),
            version           integer NOT NULL CHECK (version > 0),
            definition_source text NOT NULL,
            parsed_definition jsonb NOT NULL,
            created_by        bigint REFERENCES users (id),
            created_at        timestamptz NOT NULL DEFAULT now(),
            UNIQUE (workflow_id, version)
        );
        CREATE FUNCTION lr_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION '% rows are immutable', TG_TABLE_NAME USING ERRCODE = 'restrict_violation';
        END $$;
        CREATE TRIGGER workflow_versions_immutable BEFORE UPDATE ON workflow_versions
            FOR EACH ROW EXECUTE FUNCTION lr_refuse_change();

        CREATE TABLE workflow_states (
            id                  bigserial PRIMARY KEY,
            workflow_id         bigint NOT NULL REFERENCES workflows (id),
            workflow_version_id bigint REFERENCES workflow_versions (id),
            state_name          text NOT NULL,
            state_type          text NOT NULL,
            callback_type       text,
            timeout_seconds     integer,
            retry_policy        jsonb,
            UNIQUE (workflow_version_id, state_name)
        );
        CREATE INDEX workflow_states_workflow ON workflow_states (workflow_id);

        -- id is the execution id (the HLD's execution_id); workflow_name and definition_source let an
        -- execution resume without its file; sequence, snapshot and fencing_token serve the store.
        CREATE TABLE workflow_executions (
            id                  text PRIMARY KEY,
            workflow_id         bigint REFERENCES workflows (id),
            workflow_version_id bigint REFERENCES workflow_versions (id),
            workflow_name       text NOT NULL,
            definition_source   text NOT NULL,
            owner_id            bigint REFERENCES users (id),
            status              text NOT NULL CHECK (status IN ('PENDING', 'RUNNING', 'RECOVERING', 'WAITING', 'PAUSED',
                                                                'COMPLETED', 'FAILED', 'CANCELLED', 'TIMED_OUT')),
            current_state       text,
            initial_context     jsonb NOT NULL,
            final_context       jsonb,
            states_visited      jsonb NOT NULL DEFAULT '[]',
            duration_ms         bigint,
            ai_decisions        jsonb NOT NULL DEFAULT '[]',
            anomaly_detected    boolean NOT NULL DEFAULT false,
            error               jsonb,
            parent_execution_id text,
            idempotency_key     text,
            sequence            bigint NOT NULL DEFAULT 0 CHECK (sequence >= 0),
            snapshot            bytea NOT NULL,
            fencing_token       bigint,
            created_at          timestamptz NOT NULL,
            updated_at          timestamptz NOT NULL,
            started_at          timestamptz,
            completed_at        timestamptz
        ) WITH (fillfactor = 70);  -- room on each page for HOT updates: a commit rewrites the row without touching its indexes
        CREATE INDEX workflow_executions_owner_status_created ON workflow_executions (owner_id, status, created_at DESC);
        CREATE INDEX workflow_executions_status_created ON workflow_executions (status, created_at DESC, id DESC);
        CREATE INDEX workflow_executions_created ON workflow_executions (created_at DESC, id DESC);
        CREATE INDEX workflow_executions_workflow ON workflow_executions (workflow_id, created_at DESC);
        CREATE INDEX workflow_executions_parent ON workflow_executions (parent_execution_id) WHERE parent_execution_id IS NOT NULL;
        CREATE UNIQUE INDEX workflow_executions_idempotency ON workflow_executions (coalesce(owner_id, 0), idempotency_key)
            WHERE idempotency_key IS NOT NULL;

        -- One row per transition; UNIQUE (execution_id, sequence) makes a transition impossible to store twice.
        CREATE TABLE state_transitions (
            id                    bigserial PRIMARY KEY,
            execution_id          text NOT NULL REFERENCES workflow_executions (id) ON DELETE CASCADE,
            sequence              bigint NOT NULL CHECK (sequence > 0),
            thread                text NOT NULL,
            from_state            text,
            to_state              text,
            transition_type       text NOT NULL,
            context_snapshot      jsonb,
            condition_evaluated   text,
            condition_result      boolean,
            ai_decision_used      boolean NOT NULL DEFAULT false,
            ai_decision_reasoning text,
            ai_confidence_score   integer,
            duration_ms           bigint,
            details               jsonb NOT NULL,
            created_at            timestamptz NOT NULL,
            UNIQUE (execution_id, sequence)
        );

        CREATE TABLE audit_logs (
            id           bigserial PRIMARY KEY,
            execution_id text REFERENCES workflow_executions (id) ON DELETE CASCADE,
            user_id      bigint REFERENCES users (id),
            created_at   timestamptz NOT NULL DEFAULT now(),
            level        text NOT NULL CHECK (level IN ('DEBUG', 'INFO', 'WARNING', 'ERROR')),
            state        text,
            event_type   text NOT NULL,
            message      text NOT NULL,
            metadata     jsonb NOT NULL DEFAULT '{}',
            stack_trace  text
        );
        CREATE INDEX audit_logs_execution ON audit_logs (execution_id, id);
        CREATE INDEX audit_logs_user ON audit_logs (user_id, created_at) WHERE user_id IS NOT NULL;

        CREATE TABLE recovery_actions (
            id                   bigserial PRIMARY KEY,
            execution_id         text NOT NULL REFERENCES workflow_executions (id) ON DELETE CASCADE,
            error_type           text NOT NULL,
            error_message        text,
            error_state          text,
            error_context        jsonb,
            recovery_strategy    text NOT NULL,
            ai_suggested         boolean NOT NULL DEFAULT false,
            ai_reasoning         text,
            success              boolean,
            created_at           timestamptz NOT NULL DEFAULT now(),
            recovery_duration_ms bigint
        );
        CREATE INDEX recovery_actions_execution ON recovery_actions (execution_id);

        -- Messages written in the same transaction as the state change that caused them; the relay
        -- publishes them. message_id is stable so consumers can drop a duplicate delivery.
        CREATE TABLE outbox (
            id              bigserial PRIMARY KEY,
            message_id      text NOT NULL UNIQUE,
            topic           text NOT NULL,
            routing_key     text NOT NULL,
            payload         bytea NOT NULL,
            headers         jsonb NOT NULL DEFAULT '{}',
            execution_id    text,
            created_at      timestamptz NOT NULL DEFAULT now(),
            published_at    timestamptz,
            attempts        integer NOT NULL DEFAULT 0,
            next_attempt_at timestamptz NOT NULL DEFAULT now(),
            last_error      text
        );
        CREATE INDEX outbox_unpublished ON outbox (next_attempt_at, id) WHERE published_at IS NULL;

        CREATE TABLE llm_usage (
            id                bigserial PRIMARY KEY,
            execution_id      text REFERENCES workflow_executions (id) ON DELETE SET NULL,
            user_id           bigint REFERENCES users (id),
            provider          text NOT NULL,
            model             text NOT NULL,
            purpose           text NOT NULL,
            prompt_tokens     integer NOT NULL DEFAULT 0,
            completion_tokens integer NOT NULL DEFAULT 0,
            cost_usd          numeric(12, 6) NOT NULL DEFAULT 0,
            latency_ms        integer,
            cached            boolean NOT NULL DEFAULT false,
            created_at        timestamptz NOT NULL DEFAULT now()
        );
        CREATE INDEX llm_usage_created ON llm_usage (created_at);
        CREATE INDEX llm_usage_execution ON llm_usage (execution_id) WHERE execution_id IS NOT NULL;

        -- Only a hash of each token is kept.
        CREATE TABLE api_tokens (
            id           bigserial PRIMARY KEY,
            token_hash   text NOT NULL UNIQUE,
            owner_id     bigint NOT NULL REFERENCES users (id),
            name         text NOT NULL,
            role         text NOT NULL CHECK (role IN ('admin', 'operator', 'user', 'viewer', 'worker')),
            created_at   timestamptz NOT NULL DEFAULT now(),
            last_used_at timestamptz,
            revoked_at   timestamptz
        );
        CREATE INDEX api_tokens_owner ON api_tokens (owner_id);
        """#)
}
