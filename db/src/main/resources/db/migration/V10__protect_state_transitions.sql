-- The audit log must stay true even against the owner role or a careless script, so the refusal
-- lives in the database, not only in the application's grants.
CREATE FUNCTION refuse_state_transition_change() RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    RAISE EXCEPTION 'state_transitions is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER state_transitions_no_update_delete
    BEFORE UPDATE OR DELETE ON state_transitions
    FOR EACH ROW EXECUTE FUNCTION refuse_state_transition_change();

CREATE TRIGGER state_transitions_no_truncate
    BEFORE TRUNCATE ON state_transitions
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_state_transition_change();
