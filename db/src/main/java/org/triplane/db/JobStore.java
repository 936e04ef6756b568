package org.triplane.db;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.triplane.db.audit.AuditQueries;
import org.triplane.db.jobs.EntityType;
import org.triplane.db.jobs.IdempotencyConflictException;
import org.triplane.db.jobs.Job;
import org.triplane.db.jobs.JobFilter;
import org.triplane.db.jobs.JobRequest;
import org.triplane.db.jobs.JobScan;
import org.triplane.db.jobs.JobScanState;
import org.triplane.db.jobs.JobState;
import org.triplane.db.jobs.Jobs;
import org.triplane.db.jobs.StateTransition;
import org.triplane.db.jobs.Submission;
import org.triplane.db.jobs.TransitionLog;
import org.triplane.db.models.DefaultModelSets;
import org.triplane.db.models.DefaultRegistration;
import org.triplane.db.models.FoldModel;
import org.triplane.db.models.FusionWeights;
import org.triplane.db.models.FusionWeightsRecording;
import org.triplane.db.models.Model;
import org.triplane.db.models.ModelSet;
import org.triplane.db.models.ModelSetEvent;
import org.triplane.db.models.ModelSetFusionWeights;
import org.triplane.db.models.ModelSets;
import org.triplane.db.models.Models;
import org.triplane.db.models.ShippedModelSetRegistration;
import org.triplane.db.models.TrainingEpoch;
import org.triplane.db.models.TrainingEpochs;
import org.triplane.db.outbox.DeadLetter;
import org.triplane.db.outbox.DeadLetters;
import org.triplane.db.outbox.Outbox;
import org.triplane.db.outbox.ProcessedEvents;
import org.triplane.db.results.ClassMetric;
import org.triplane.db.results.FusedResult;
import org.triplane.db.results.FusedResults;
import org.triplane.db.results.MetricComparison;
import org.triplane.db.results.MetricPlane;
import org.triplane.db.results.MetricSummary;
import org.triplane.db.results.ModelSetComparison;
import org.triplane.db.results.Results;
import org.triplane.db.results.ScanResult;
import org.triplane.db.scans.NewScan;
import org.triplane.db.scans.Scan;
import org.triplane.db.scans.ScanDeletions;
import org.triplane.db.scans.ScanRegistration;
import org.triplane.db.scans.ScanRegistrations;
import org.triplane.db.scans.ScanTransform;
import org.triplane.db.scans.Scans;
import org.triplane.db.scans.StoredObject;
import org.triplane.db.tasks.ExpiredLeases;
import org.triplane.db.tasks.NewTask;
import org.triplane.db.tasks.ReclaimedTask;
import org.triplane.db.tasks.Task;
import org.triplane.db.tasks.TaskKind;
import org.triplane.db.tasks.TaskState;
import org.triplane.db.tasks.Tasks;
import org.triplane.db.tenants.IssuedApiKey;
import org.triplane.db.tenants.Tenant;
import org.triplane.db.tenants.Tenants;

/**
 * The reads and writes of the job database that have no store of their own yet. Concepts with
 * their own store are called directly: the outbox ({@link Outbox}), idempotent consumers
 * ({@link ProcessedEvents}) and scan deletion ({@link ScanDeletions}).
 *
 * <p>Each method works in the caller's transaction (the {@link Connection} given to a
 * {@link Tx.Work}), so a state change, its transition-log row and its outbox event commit
 * together or not at all. What a call can see follows the connection's role: under
 * {@link Roles#APP} only the rows of the tenant set by {@link Tx#inTenant}; under
 * {@link Roles#WORKER} every tenant's (claiming, sweeping and relaying need that).
 *
 * <p>State changes are compare-and-set on (state, version): pass back the record you read. A
 * transition the state machine forbids throws {@link IllegalStateException} before anything is
 * written; a row changed by someone else throws {@link OptimisticLockException}.
 *
 * <p>Stateless and thread-safe.
 */
public final class JobStore {

    // ---- tenants and API keys ----

    /**
     * @param c    transaction
     * @param name unique tenant name
     * @return the new tenant
     * @throws SQLException e.g. when the name is taken
     */
    public Tenant createTenant(Connection c, String name) throws SQLException {
        return Tenants.create(c, name, true);
    }

    /**
     * @param c                 transaction
     * @param name              unique tenant name
     * @param deidentifyUploads whether its uploads' NIfTI parts are stored de-identified
     * @return the new tenant
     * @throws SQLException e.g. when the name is taken
     */
    public Tenant createTenant(Connection c, String name, boolean deidentifyUploads) throws SQLException {
        return Tenants.create(c, name, deidentifyUploads);
    }

    /**
     * @param c  transaction (no tenant needed)
     * @param id tenant id
     * @return the tenant, empty when there is none with this id
     * @throws SQLException on database errors
     */
    public Optional<Tenant> findTenant(Connection c, UUID id) throws SQLException {
        return Tenants.find(c, id);
    }

    /**
     * Turns de-identification of a tenant's uploads on or off; scans already stored keep what
     * they were stored as.
     *
     * @param c     transaction
     * @param id    tenant id
     * @param value the new setting
     * @return the tenant as it now is, empty when there is none with this id
     * @throws SQLException on database errors
     */
    public Optional<Tenant> setDeidentifyUploads(Connection c, UUID id, boolean value) throws SQLException {
        return Tenants.setDeidentifyUploads(c, id, value);
    }

    /**
     * Creates an API key; only its SHA-256 is stored.
     *
     * @param c        transaction
     * @param tenantId owning tenant
     * @param label    free text for people, may be {@code null}
     * @return the stored row and the full key, to be shown to the client once
     * @throws SQLException on database errors
     */
    public IssuedApiKey createApiKey(Connection c, UUID tenantId, String label) throws SQLException {
        return Tenants.createApiKey(c, tenantId, label);
    }

    /**
     * Authenticates a presented key by its prefix and hash (constant-time comparison).
     *
     * @param c            transaction (no tenant needed)
     * @param presentedKey the key as sent by the client
     * @return its tenant, or empty when the key is malformed, unknown or revoked
     * @throws SQLException on database errors
     */
    public Optional<UUID> tenantForKey(Connection c, String presentedKey) throws SQLException {
        return Tenants.tenantForKey(c, presentedKey);
    }

    /**
     * @param c      transaction
     * @param prefix the key's public prefix
     * @return whether a valid key was revoked
     * @throws SQLException on database errors
     */
    public boolean revokeApiKey(Connection c, String prefix) throws SQLException {
        return Tenants.revokeApiKey(c, prefix);
    }

    // ---- scans ----

    /**
     * @param c    transaction acting for {@code scan.tenantId()} (row-level security checks it)
     * @param scan the scan to record
     * @return the stored row
     * @throws SQLException on database errors, including a tenant mismatch
     */
    public Scan insertScan(Connection c, NewScan scan) throws SQLException {
        return Scans.insert(c, scan);
    }

    /**
     * @param c  transaction
     * @param id scan id
     * @return the scan, or empty when absent or another tenant's
     * @throws SQLException on database errors
     */
    public Optional<Scan> findScan(Connection c, UUID id) throws SQLException {
        return Scans.find(c, id);
    }

    /**
     * @param c     transaction
     * @param limit most rows returned
     * @return the visible scans, newest first
     * @throws SQLException on database errors
     */
    public List<Scan> listScans(Connection c, int limit) throws SQLException {
        return Scans.list(c, limit);
    }

    /**
     * Records the transform the preprocess-worker derived for a scan uploaded without one
     * ({@code transform_origin = 'derived'}); an uploaded transform is never replaced, a derived one
     * is (a redone task writes the same values under the same key).
     *
     * @param c         transaction
     * @param scanId    the scan
     * @param file      the derived ITK transform file in the object store
     * @param transform its parameters, centre and Euler angles
     * @return the scan as it now is (its own transform when it had one uploaded), empty when absent
     * @throws SQLException on database errors
     */
    public Optional<Scan> recordDerivedTransform(Connection c, UUID scanId, StoredObject file, ScanTransform transform)
            throws SQLException {
        return Scans.recordDerivedTransform(c, scanId, file, transform);
    }

    /**
     * Writes a scan's atlas registration, replacing an earlier one (one row per scan).
     *
     * @param c            transaction
     * @param registration the registration
     * @return the stored row
     * @throws SQLException on database errors
     */
    public ScanRegistration upsertScanRegistration(Connection c, ScanRegistration registration) throws SQLException {
        return ScanRegistrations.upsert(c, registration);
    }

    /**
     * @param c      transaction
     * @param scanId the scan
     * @return its atlas registration, empty when it has none yet (or it is another tenant's)
     * @throws SQLException on database errors
     */
    public Optional<ScanRegistration> findScanRegistration(Connection c, UUID scanId) throws SQLException {
        return ScanRegistrations.find(c, scanId);
    }

    // ---- jobs ----

    /**
     * Records a job and its scans, or returns the job first submitted under the same idempotency
     * key by the same tenant. Safe against concurrent duplicates.
     *
     * @param c       transaction acting for {@code request.tenantId()}
     * @param request the job
     * @return the job and whether this call created it
     * @throws IdempotencyConflictException when the key was used for a different request
     * @throws SQLException                 on database errors, e.g. a scan of another tenant
     */
    public Submission submitJob(Connection c, JobRequest request) throws SQLException {
        return Jobs.submit(c, request);
    }

    /**
     * @param c  transaction
     * @param id job id
     * @return the job, or empty when absent or another tenant's
     * @throws SQLException on database errors
     */
    public Optional<Job> findJob(Connection c, UUID id) throws SQLException {
        return Jobs.find(c, id);
    }

    /**
     * Reads a job and locks its row ({@code SELECT ... FOR UPDATE}) until the transaction ends.
     * Use it where a decision depends on the job's other rows, e.g. "was this the job's last scan":
     * two transactions locking the same job run that decision one after the other, and the second
     * sees what the first committed.
     *
     * @param c  transaction
     * @param id job id
     * @return the job, or empty when absent or not visible
     * @throws SQLException on database errors, including a lock timeout the caller set
     */
    public Optional<Job> lockJob(Connection c, UUID id) throws SQLException {
        return Jobs.lock(c, id);
    }

    /**
     * @param c     transaction
     * @param limit most rows returned
     * @return the visible jobs, newest first
     * @throws SQLException on database errors
     */
    public List<Job> listJobs(Connection c, int limit) throws SQLException {
        return Jobs.list(c, limit);
    }

    /**
     * Jobs of the connection's tenant matching the filters, newest first (the audit view).
     *
     * @param state only jobs in this state, or {@code null}
     * @param from  only jobs created at or after this instant, or {@code null}
     * @param to    only jobs created before this instant, or {@code null}
     * @param limit most rows returned
     */
    public List<Job> listJobs(Connection c, JobState state, java.time.Instant from, java.time.Instant to, int limit)
            throws SQLException {
        return Jobs.list(c, state, from, to, limit);
    }

    /**
     * @param c     transaction
     * @param jobId the job
     * @return its scans and their progress
     * @throws SQLException on database errors
     */
    public List<JobScan> jobScans(Connection c, UUID jobId) throws SQLException {
        return Jobs.scans(c, jobId);
    }

    /**
     * Moves a job to {@code to} if it is still in {@code job.state()} at {@code job.version()},
     * and logs the change. Entering RUNNING stamps started_at, a terminal state finished_at,
     * FAILED stores {@code reason} as the error.
     *
     * @param c      transaction
     * @param job    the job as last read
     * @param to     the new state
     * @param actor  who makes the change
     * @param reason why, may be {@code null} (required in practice for FAILED)
     * @return the updated job
     * @throws IllegalStateException  when the state machine forbids the change (nothing written)
     * @throws OptimisticLockException when the job changed since it was read
     * @throws SQLException            on database errors
     */
    public Job transitionJob(Connection c, Job job, JobState to, String actor, String reason) throws SQLException {
        return Jobs.transition(c, job, to, actor, reason);
    }

    /**
     * Moves one scan of a job, compare-and-set like {@link #transitionJob}.
     *
     * @param c       transaction
     * @param jobScan the row as last read
     * @param to      the new state
     * @param actor   who makes the change
     * @param reason  why, may be {@code null}
     * @return the updated row
     * @throws SQLException on database errors
     */
    public JobScan transitionJobScan(Connection c, JobScan jobScan, JobScanState to, String actor, String reason)
            throws SQLException {
        return Jobs.transitionScan(c, jobScan, to, actor, reason);
    }

    // ---- tasks ----

    /**
     * Creates a PENDING task, or returns the existing one for the same (job, scan, kind, plane, fold),
     * so that redelivered events create no duplicates.
     *
     * @param c     transaction
     * @param task  the task
     * @param actor who creates it
     * @return the task
     * @throws SQLException on database errors
     */
    public Task createTask(Connection c, NewTask task, String actor) throws SQLException {
        return Tasks.create(c, task, actor);
    }

    /**
     * @param c  transaction
     * @param id task id
     * @return the task, or empty when absent or not visible
     * @throws SQLException on database errors
     */
    public Optional<Task> findTask(Connection c, UUID id) throws SQLException {
        return Tasks.find(c, id);
    }

    /**
     * @param c     transaction
     * @param jobId the job
     * @return its tasks, oldest first
     * @throws SQLException on database errors
     */
    public List<Task> tasksOfJob(Connection c, UUID jobId) throws SQLException {
        return Tasks.forJob(c, jobId);
    }

    /**
     * Leases the oldest PENDING task of any kind. Concurrent claimers never get the same task.
     *
     * @param c            transaction (role {@link Roles#WORKER} to see every tenant's queue)
     * @param worker       the claiming worker's identity
     * @param leaseSeconds lease length, seconds; heartbeat well within it
     * @return the claimed task, RUNNING, or empty when none is pending
     * @throws SQLException on database errors
     */
    public Optional<Task> claimTask(Connection c, String worker, int leaseSeconds) throws SQLException {
        return Tasks.claim(c, worker, leaseSeconds, EnumSet.allOf(TaskKind.class));
    }

    /**
     * Leases the oldest PENDING task of the given kinds.
     *
     * @param c            transaction
     * @param worker       the claiming worker's identity
     * @param leaseSeconds lease length, seconds
     * @param kinds        kinds this worker handles
     * @return the claimed task, or empty when none is pending
     * @throws SQLException on database errors
     */
    public Optional<Task> claimTask(Connection c, String worker, int leaseSeconds, Set<TaskKind> kinds)
            throws SQLException {
        return Tasks.claim(c, worker, leaseSeconds, kinds);
    }

    /**
     * Leases one named task, as a worker does when an event names it; a redelivered event finds it
     * no longer PENDING and gets nothing.
     *
     * @param c            transaction
     * @param taskId       the task
     * @param worker       the claiming worker's identity
     * @param leaseSeconds lease length, seconds
     * @return the claimed task, or empty when it is not PENDING
     * @throws SQLException on database errors
     */
    public Optional<Task> claimTask(Connection c, UUID taskId, String worker, int leaseSeconds) throws SQLException {
        return Tasks.claim(c, taskId, worker, leaseSeconds);
    }

    /**
     * Extends the lease of a task the caller still holds.
     *
     * @param c            transaction
     * @param task         the task as claimed (or last updated) by this worker
     * @param leaseSeconds new lease length from now, seconds
     * @return {@code false} when the lease was lost (reclaimed, finished, changed): stop working on it
     * @throws SQLException on database errors
     */
    public boolean heartbeat(Connection c, Task task, int leaseSeconds) throws SQLException {
        return Tasks.heartbeat(c, task, leaseSeconds);
    }

    /**
     * Records where a RUNNING task ran and how long its phases took.
     *
     * @param c           transaction
     * @param task        the task as last read
     * @param device      e.g. {@code cpu} or {@code cuda:0}
     * @param timingsJson JSON object of phase → seconds, or {@code null} to keep the current one
     * @return the updated task (use it for the final transition)
     * @throws OptimisticLockException when the task changed since it was read
     * @throws SQLException            on database errors
     */
    public Task recordTaskRun(Connection c, Task task, String device, String timingsJson) throws SQLException {
        return Tasks.recordRun(c, task, device, timingsJson);
    }

    /**
     * Moves a task, compare-and-set on state and version, and logs the change. RUNNING → PENDING
     * requeues it with the next attempt number. A task becomes RUNNING only through
     * {@link #claimTask}.
     *
     * @param c      transaction
     * @param task   the task as last read
     * @param to     the new state
     * @param actor  who makes the change
     * @param reason why; stored as the error for FAILED
     * @return the updated task
     * @throws IllegalStateException   when the state machine forbids the change (nothing written)
     * @throws OptimisticLockException when the task changed since it was read
     * @throws SQLException            on database errors
     */
    public Task transitionTask(Connection c, Task task, TaskState to, String actor, String reason) throws SQLException {
        return Tasks.transition(c, task, to, actor, reason);
    }

    /**
     * The sweeper: expired RUNNING tasks go back to PENDING with the next attempt, or to FAILED
     * once their attempts are used up, each with a log row. Callers publish the outcome (new
     * task event, or job failure) through the outbox in the same transaction.
     *
     * @param c     transaction (role {@link Roles#WORKER})
     * @param actor the sweeper's identity
     * @param limit most tasks handled in this call
     * @return the reclaimed tasks
     * @throws SQLException on database errors
     */
    public List<ReclaimedTask> reclaimExpiredLeases(Connection c, String actor, int limit) throws SQLException {
        return ExpiredLeases.reclaim(c, actor, limit);
    }

    // ---- audit log ----

    /**
     * @param c    transaction
     * @param type kind of row
     * @param id   its id
     * @return its state changes, oldest first
     * @throws SQLException on database errors
     */
    public List<StateTransition> history(Connection c, EntityType type, UUID id) throws SQLException {
        return TransitionLog.history(c, type, id);
    }

    // ---- dead letters ----

    /**
     * Records input a worker gave up on, unless a letter with the same natural key (the message's
     * consumer, topic, partition and offset, or the task) exists. Call it in the transaction that
     * also appends the letter's outbox event and fails what the input was for.
     *
     * @param c      transaction (role {@link Roles#WORKER})
     * @param letter the letter
     * @return whether it was recorded now ({@code false}: recorded before, nothing written)
     * @throws SQLException on database errors
     */
    public boolean recordDeadLetter(Connection c, DeadLetter letter) throws SQLException {
        return DeadLetters.record(c, letter);
    }

    /**
     * @param c     transaction
     * @param jobId the job
     * @return the dead letters that name it, oldest first
     * @throws SQLException on database errors
     */
    public List<DeadLetter> deadLettersOfJob(Connection c, UUID jobId) throws SQLException {
        return DeadLetters.ofJob(c, jobId);
    }

    // ---- models and results ----

    /**
     * @param c           transaction (role {@link Roles#WORKER})
     * @param name        unique name
     * @param fusionRule  how planes are combined, e.g. {@code MAJORITY_2_OF_3}
     * @param codeVersion version of the assembling code
     * @return the new model set
     * @throws SQLException on database errors
     */
    public ModelSet createModelSet(Connection c, String name, String fusionRule, String codeVersion)
            throws SQLException {
        return ModelSets.create(c, name, fusionRule, codeVersion, null, null, null);
    }

    /**
     * Creates the model set a TRAIN job (or one fold of a k-fold TRAIN job) trains into.
     *
     * @param c             transaction (role {@link Roles#WORKER})
     * @param name          unique name
     * @param fusionRule    how planes are combined, e.g. {@code MAJORITY_2_OF_3}
     * @param codeVersion   version of the assembling code
     * @param trainingJobId the TRAIN job
     * @param fold          the fold 1..{@code foldCount}, or {@code null} when the job is not k-fold
     * @param foldCount     k, or {@code null} exactly when {@code fold} is
     * @return the new model set
     * @throws IllegalArgumentException when fold and foldCount do not fit together (nothing written)
     * @throws SQLException             on database errors, a unique violation for a second set of the same fold
     */
    public ModelSet createTrainingModelSet(Connection c, String name, String fusionRule, String codeVersion,
                                           UUID trainingJobId, Integer fold, Integer foldCount) throws SQLException {
        return ModelSets.create(c, name, fusionRule, codeVersion, trainingJobId, fold, foldCount);
    }

    /**
     * @param c             transaction (any role)
     * @param trainingJobId a TRAIN job
     * @return the model sets it produced, by fold (a set without fold first), empty before its training started
     * @throws SQLException on database errors
     */
    public List<ModelSet> modelSetsOfTrainingJob(Connection c, UUID trainingJobId) throws SQLException {
        return ModelSets.ofTrainingJob(c, trainingJobId);
    }

    /**
     * @param c             transaction (any role)
     * @param trainingJobId a TRAIN job
     * @return its k-fold sets, fold 1..k (a k-fold job names no single set; its sets name it), empty
     *         for a job without folds or before its training started
     * @throws SQLException on database errors
     */
    public List<ModelSet> foldModelSetsOfTrainingJob(Connection c, UUID trainingJobId) throws SQLException {
        return ModelSets.ofTrainingJob(c, trainingJobId).stream().filter(ModelSet::isFold).toList();
    }

    /**
     * @param c             transaction (any role)
     * @param trainingJobId a k-fold TRAIN job
     * @return the models registered so far in its fold sets, with their best validation mean IoU, by plane and fold
     * @throws SQLException on database errors
     */
    public List<FoldModel> foldModelsOfTrainingJob(Connection c, UUID trainingJobId) throws SQLException {
        return ModelSets.foldModelsOf(c, trainingJobId);
    }

    /**
     * @param c  transaction (any role: the catalogue is shared by all tenants)
     * @param id model set id
     * @return the set, or empty when absent
     * @throws SQLException on database errors
     */
    public Optional<ModelSet> findModelSet(Connection c, UUID id) throws SQLException {
        return ModelSets.find(c, id);
    }

    /**
     * @param c    transaction
     * @param name the set's unique name
     * @return the set, or empty when no set has that name
     * @throws SQLException on database errors
     */
    public Optional<ModelSet> findModelSetByName(Connection c, String name) throws SQLException {
        return ModelSets.findByName(c, name);
    }


    /**
     * Registers a model set that ships with the project and makes it the default, idempotently: the
     * same content ({@code sha256}) is one set with one id, registered once, with the fusion weights it
     * ships with (recorded also for a set found without them); a call finding it already the default
     * writes nothing more. Otherwise the change is logged in {@code model_set_events} (the set's
     * registration or restoration as the default, and the previous default's replacement).
     * Concurrent callers (gateway replicas starting together) take turns on an advisory lock.
     *
     * @param c            transaction (role {@link Roles#WORKER})
     * @param registration the set, its models (weights already stored under their keys) and the actor
     * @return what was done
     * @throws SQLException on database errors
     */
    public DefaultRegistration registerShippedDefault(Connection c, ShippedModelSetRegistration registration)
            throws SQLException {
        return DefaultModelSets.registerShipped(c, registration);
    }

    /**
     * @param c transaction (any role)
     * @return the default model set, empty when none is registered
     * @throws SQLException on database errors
     */
    public Optional<ModelSet> findDefaultModelSet(Connection c) throws SQLException {
        return DefaultModelSets.findDefault(c);
    }

    /**
     * @param c          transaction (any role)
     * @param modelSetId a model set
     * @return the changes of its default status, in log order
     * @throws SQLException on database errors
     */
    public List<ModelSetEvent> modelSetEvents(Connection c, UUID modelSetId) throws SQLException {
        return DefaultModelSets.events(c, modelSetId);
    }


    /**
     * Records a model set's learned fusion weights, with who records them ({@code recordedBy}) and
     * when, unless the set has weights already: a set's weights are recorded once and never change
     * (the database refuses UPDATE and DELETE), so that every job that fused with them stays
     * explainable. Concurrent callers take turns on the set's row.
     *
     * @param c       transaction (role {@link Roles#APP} in the tenant of {@code weights.tenantId()}, or
     *                {@link Roles#WORKER})
     * @param weights the weights; {@code recordedAt} is ignored and assigned here
     * @return the stored weights and whether this call recorded them
     * @throws SQLException on database errors (a foreign-key violation when the set does not exist, or the
     *                      evaluate job is not the tenant's)
     */
    public FusionWeightsRecording recordFusionWeights(Connection c, FusionWeights weights) throws SQLException {
        return ModelSetFusionWeights.record(c, weights);
    }

    /**
     * @param c          transaction (any role)
     * @param modelSetId a model set
     * @return its learned fusion weights, empty when none are recorded
     * @throws SQLException on database errors
     */
    public Optional<FusionWeights> findFusionWeights(Connection c, UUID modelSetId) throws SQLException {
        return ModelSetFusionWeights.find(c, modelSetId);
    }

    /**
     * Registers a trained model.
     *
     * @param c     transaction (role {@link Roles#WORKER})
     * @param model the model; {@code id} and {@code createdAt} are ignored and assigned here
     * @return the stored row
     * @throws SQLException on database errors, a unique violation when the set already has a model
     *                      for that plane
     */
    public Model insertModel(Connection c, Model model) throws SQLException {
        return Models.insert(c, model);
    }

    /**
     * @param c          transaction
     * @param modelSetId the set
     * @return its models, ordered by plane
     * @throws SQLException on database errors
     */
    public List<Model> modelsOfSet(Connection c, UUID modelSetId) throws SQLException {
        return Models.ofSet(c, modelSetId);
    }

    /**
     * @param c     transaction
     * @param limit most rows returned
     * @return the registry, newest first
     * @throws SQLException on database errors
     */
    public List<Model> recentModels(Connection c, int limit) throws SQLException {
        return Models.recent(c, limit);
    }

    /**
     * Names the model set a TRAIN job produces (or a segment job runs); bumps the job's version.
     *
     * @throws OptimisticLockException when the job changed since it was read
     */
    public Job assignModelSet(Connection c, Job job, UUID modelSetId) throws SQLException {
        return Jobs.assignModelSet(c, job, modelSetId);
    }

    /**
     * Records one finished training epoch; a resumed task re-recording an epoch replaces the row.
     *
     * @param c     transaction (role {@link Roles#WORKER})
     * @param epoch the epoch's losses and metrics
     * @throws SQLException on database errors
     */
    public void recordEpoch(Connection c, TrainingEpoch epoch) throws SQLException {
        TrainingEpochs.upsert(c, epoch);
    }

    /**
     * @param c      transaction
     * @param taskId a TRAIN task
     * @return its epochs in order
     * @throws SQLException on database errors
     */
    public List<TrainingEpoch> epochsOfTask(Connection c, UUID taskId) throws SQLException {
        return TrainingEpochs.ofTask(c, taskId);
    }

    /**
     * Inserts or replaces the result of one scan of one job.
     *
     * @param c      transaction
     * @param result output object keys
     * @throws SQLException on database errors
     */
    public void upsertResult(Connection c, ScanResult result) throws SQLException {
        Results.upsertResult(c, result);
    }

    /**
     * @param c      transaction
     * @param jobId  the job
     * @param scanId the scan
     * @return its result, or empty
     * @throws SQLException on database errors
     */
    public Optional<ScanResult> findResult(Connection c, UUID jobId, UUID scanId) throws SQLException {
        return Results.findResult(c, jobId, scanId);
    }

    /**
     * Inserts or replaces per-class metrics.
     *
     * @param c       transaction
     * @param metrics rows to write
     * @throws SQLException on database errors
     */
    public void upsertClassMetrics(Connection c, List<ClassMetric> metrics) throws SQLException {
        Results.upsertClassMetrics(c, metrics);
    }

    /**
     * @param c      transaction
     * @param jobId  the job
     * @param scanId the scan
     * @return its per-class metrics, ordered by model set, plane and class
     * @throws SQLException on database errors
     */
    public List<ClassMetric> classMetrics(Connection c, UUID jobId, UUID scanId) throws SQLException {
        return Results.classMetrics(c, jobId, scanId);
    }

    /**
     * Records the fused result of one scan of one job, once: when a result row for (job, scan)
     * already exists it is left exactly as it is (a finished job's results never change).
     *
     * @param c      transaction
     * @param result the fused result
     * @return {@code true} when this call wrote the row, {@code false} when one already existed
     * @throws SQLException on database errors
     */
    public boolean recordFusedResult(Connection c, FusedResult result) throws SQLException {
        return FusedResults.insertIfAbsent(c, result);
    }

    /**
     * @param c      transaction
     * @param jobId  the job
     * @param scanId the scan
     * @return the fusion-worker's result for that scan, or empty
     * @throws SQLException on database errors
     */
    public Optional<FusedResult> findFusedResult(Connection c, UUID jobId, UUID scanId) throws SQLException {
        return FusedResults.find(c, jobId, scanId);
    }

    // ---- audit and comparison reads ----

    /**
     * Jobs of the connection's tenant matching every given filter, newest first (the audit list).
     *
     * @param c      transaction
     * @param filter state, kind, model set, model and creation-time filters; {@code null} fields match all
     * @param limit  most rows returned
     * @return the matching jobs
     * @throws SQLException on database errors
     */
    public List<Job> listJobs(Connection c, JobFilter filter, int limit) throws SQLException {
        return listJobs(c, filter, null, limit);
    }

    /**
     * One page of the audit list: jobs of the connection's tenant matching the filters, ordered by creation
     * time then id, newest first, after a position.
     *
     * @param c      transaction
     * @param filter state, kind, model set, model and creation-time filters
     * @param after  where the previous page ended, or {@code null} for the first page
     * @param limit  most rows returned
     * @return the matching jobs after the position
     * @throws SQLException on database errors
     */
    public List<Job> listJobs(Connection c, JobFilter filter, ListPosition after, int limit) throws SQLException {
        return AuditQueries.listJobs(c, filter, after, limit);
    }

    /**
     * One page of the visible scans, ordered by creation time then id, newest first, after a position.
     *
     * @param c        transaction
     * @param ctSha256 only scans whose stored CT object or uploaded CT part has this SHA-256 (lower-case hex), or
     *                 {@code null}
     * @param after    where the previous page ended, or {@code null} for the first page
     * @param limit    most rows returned
     * @return the matching scans after the position
     * @throws SQLException on database errors
     */
    public List<Scan> listScans(Connection c, String ctSha256, ListPosition after, int limit) throws SQLException {
        return AuditQueries.listScans(c, ctSha256, after, limit);
    }

    /**
     * @param c      transaction
     * @param sha256 SHA-256 of a CT, lower-case hex: of the stored object or of the part as uploaded
     * @return the visible scans whose stored CT object or uploaded CT part has that checksum, newest first
     * @throws SQLException on database errors
     */
    public List<Scan> findScansByCtSha256(Connection c, String sha256) throws SQLException {
        return AuditQueries.scansByCtSha256(c, sha256);
    }

    /**
     * @param c     transaction
     * @param jobId the job
     * @return the fusion-worker's results of the job, one per scan, ordered by scan id
     * @throws SQLException on database errors
     */
    public List<FusedResult> fusedResultsOfJob(Connection c, UUID jobId) throws SQLException {
        return AuditQueries.fusedResults(c, jobId);
    }

    /**
     * @param c          transaction
     * @param jobId      the job
     * @param plane      only this prediction, or {@code null}
     * @param classLabel only this class 0..20, or {@code null}
     * @param scanId     only this scan, or {@code null}
     * @return the job's per-class metrics, ordered by scan, model set, prediction (axial, coronal,
     *         sagittal, fused) and class
     * @throws SQLException on database errors
     */
    public List<ClassMetric> classMetricsOfJob(Connection c, UUID jobId, MetricPlane plane, Integer classLabel,
                                               UUID scanId) throws SQLException {
        return AuditQueries.classMetrics(c, jobId, plane, classLabel, scanId);
    }

    /**
     * @param c     transaction
     * @param jobId the job
     * @return per scan and prediction, the mean IoU and Dice over the regions 1..20 that have one
     * @throws SQLException on database errors
     */
    public List<MetricSummary> metricSummaries(Connection c, UUID jobId) throws SQLException {
        return AuditQueries.metricSummaries(c, jobId);
    }

    /**
     * @param c    transaction
     * @param jobA a job
     * @param jobB another job
     * @return the scans both jobs ran on, ordered by id
     * @throws SQLException on database errors
     */
    public List<UUID> commonScans(Connection c, UUID jobA, UUID jobB) throws SQLException {
        return AuditQueries.commonScans(c, jobA, jobB);
    }

    /**
     * Per prediction and class, the paired means of each metric over the scans both jobs have
     * metrics for (a = {@code jobA}, b = {@code jobB}).
     *
     * @param c    transaction
     * @param jobA a job
     * @param jobB another job
     * @return the comparisons, ordered by prediction (axial, coronal, sagittal, fused) and class
     * @throws SQLException on database errors
     */
    public List<MetricComparison> compareJobMetrics(Connection c, UUID jobA, UUID jobB) throws SQLException {
        return AuditQueries.compareJobs(c, jobA, jobB);
    }

    /**
     * Two model sets on the scans both were evaluated on by the tenant's SUCCEEDED jobs (per set
     * and scan the most recently finished such job).
     *
     * @param c    transaction
     * @param setA a model set
     * @param setB another model set
     * @return the common scans with the jobs used, and the paired metric means
     * @throws SQLException on database errors
     */
    public ModelSetComparison compareModelSets(Connection c, UUID setA, UUID setB) throws SQLException {
        return AuditQueries.compareModelSets(c, setA, setB);
    }
}
