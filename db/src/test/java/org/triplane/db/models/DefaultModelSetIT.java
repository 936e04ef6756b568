package org.triplane.db.models;

import static org.assertj.core.api.Assertions.assertThat;
import org.triplane.imaging.plane.Plane;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.triplane.db.testing.TestData.aJob;
import static org.triplane.db.testing.TestData.aScan;

import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.triplane.db.DataAccessException;
import org.triplane.db.Rows;
import org.triplane.db.jobs.EntityType;
import org.triplane.db.jobs.IdempotencyConflictException;
import org.triplane.db.jobs.Jobs;
import org.triplane.db.jobs.StateTransition;
import org.triplane.db.jobs.Submission;
import org.triplane.db.jobs.TransitionLog;
import org.triplane.db.scans.Scans;
import org.triplane.db.tenants.Tenants;
import org.triplane.db.testing.TestDatabase;

/**
 * The default model set: a shipped set registered once per content however often and however
 * concurrently it is registered, every change of the default logged, and jobs that name no model
 * set recording that they run the default.
 */
class DefaultModelSetIT {

    @RegisterExtension
    static final TestDatabase db = new TestDatabase();

    private static ShippedModelSetRegistration shipped(String sha, String actor) {
        UUID id = ShippedModelSetRegistration.idFor(sha);
        List<Model> models = new ArrayList<>();
        for (Plane p : Plane.values()) {
            models.add(new Model(null, id, p, "unet", "{\"preset\": \"tiny\", \"seed\": 7}", 7L, List.of(UUID.randomUUID()),
                    List.of("a".repeat(64)), List.of(8.0, 8.0, 8.0), List.of(32, 20), "abc1234", 3.5, "{\"meanIoU\": 0.1}",
                    "models/" + id + "/" + p.name().toLowerCase() + "/weights.params", "b".repeat(64), null));
        }
        return new ShippedModelSetRegistration(id, "default-" + sha.substring(0, 12), "MAJORITY_2_OF_3", "abc1234", sha,
                models, actor, null);
    }

    private static String sha(char c) {
        return String.valueOf(c).repeat(64);
    }

    @Test
    void theSameShippedContentIsRegisteredOnceAndLoggedOnce() {
        ShippedModelSetRegistration r = shipped(sha('1'), "gateway-a");
        DefaultRegistration first = db.worker().run(c -> DefaultModelSets.registerShipped(c, r));
        DefaultRegistration again = db.worker().run(c -> DefaultModelSets.registerShipped(c, shipped(sha('1'), "gateway-b")));

        assertThat(first.registered()).isTrue();
        assertThat(first.madeDefault()).isTrue();
        assertThat(again.registered()).isFalse();
        assertThat(again.madeDefault()).isFalse();
        assertThat(again.set().id()).isEqualTo(first.set().id()).isEqualTo(ShippedModelSetRegistration.idFor(sha('1')));
        assertThat(again.set().isDefault()).isTrue();
        assertThat(again.set().shippedSha256()).isEqualTo(sha('1'));
        // why the app role: tenants read the default through it
        assertThat(defaultSet()).contains(first.set().id());
        List<Model> models = db.app().run(c -> Models.ofSet(c, first.set().id()));
        assertThat(models).hasSize(3);
        List<ModelSetEvent> events = events(first.set().id());
        assertThat(events).extracting(ModelSetEvent::event).containsExactly(ModelSetEvent.SHIPPED_DEFAULT_REGISTERED);
        assertThat(events.get(0).sha256()).isEqualTo(sha('1'));
        assertThat(events.get(0).codeVersion()).isEqualTo("abc1234");
        assertThat(events.get(0).actor()).isEqualTo("gateway-a");
    }

    @Test
    void replicasRegisteringTogetherLeaveOneSetAndOneEvent() throws Exception {
        String sha = sha('2');
        CyclicBarrier together = new CyclicBarrier(2);
        List<CompletableFuture<DefaultRegistration>> runs = new ArrayList<>();
        for (String actor : List.of("replica-1", "replica-2")) {
            runs.add(CompletableFuture.supplyAsync(() -> db.worker().run(c -> {
                await(together);
                return DefaultModelSets.registerShipped(c, shipped(sha, actor));
            })));
        }
        List<DefaultRegistration> done = new ArrayList<>();
        for (var f : runs) {
            done.add(f.get());
        }
        assertThat(done).filteredOn(DefaultRegistration::registered).hasSize(1);
        assertThat(done).extracting(d -> d.set().id()).containsOnly(ShippedModelSetRegistration.idFor(sha));
        assertThat(events(ShippedModelSetRegistration.idFor(sha))).extracting(ModelSetEvent::event).containsExactly(ModelSetEvent.SHIPPED_DEFAULT_REGISTERED);
        int defaults = db.worker().run(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM model_sets WHERE is_default")) {
                return Rows.single(ps, rs -> rs.getInt(1));
            }
        });
        assertThat(defaults).isEqualTo(1);
    }

    private static java.util.Optional<UUID> defaultSet() {
        java.util.Optional<ModelSet> set = db.app().run(c -> DefaultModelSets.findDefault(c));
        return set.map(ModelSet::id);
    }

    private static List<ModelSetEvent> events(UUID set) {
        return db.app().run(c -> DefaultModelSets.events(c, set));
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void newShippedContentReplacesTheDefaultAndOldContentRestoresIt() {
        UUID a = db.worker().run(c -> DefaultModelSets.registerShipped(c, shipped(sha('3'), "g"))).set().id();
        UUID b = db.worker().run(c -> DefaultModelSets.registerShipped(c, shipped(sha('4'), "g"))).set().id();
        assertThat(defaultSet()).contains(b);
        DefaultRegistration back = db.worker().run(c -> DefaultModelSets.registerShipped(c, shipped(sha('3'), "g")));
        assertThat(back.registered()).isFalse();
        assertThat(back.madeDefault()).isTrue();
        assertThat(defaultSet()).contains(a);

        assertThat(events(a)).extracting(ModelSetEvent::event).containsExactly(
                ModelSetEvent.SHIPPED_DEFAULT_REGISTERED, ModelSetEvent.DEFAULT_REPLACED, ModelSetEvent.DEFAULT_RESTORED);
        assertThat(events(b)).extracting(ModelSetEvent::event).containsExactly(
                ModelSetEvent.SHIPPED_DEFAULT_REGISTERED, ModelSetEvent.DEFAULT_REPLACED);
    }

    @Test
    void theLogIsAppendOnlyAndTheAppRoleCannotWriteIt() {
        UUID set = db.worker().run(c -> DefaultModelSets.registerShipped(c, shipped(sha('5'), "g"))).set().id();
        assertThatThrownBy(() -> db.ownerTx().run(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE model_set_events SET actor = 'someone' WHERE model_set_id = ?")) {
                ps.setObject(1, set);
                return ps.executeUpdate();
            }
        })).isInstanceOf(DataAccessException.class).hasMessageContaining("append-only");
        assertThatThrownBy(() -> db.app().run(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO model_set_events (model_set_id, event, actor) VALUES (?, 'DEFAULT_RESTORED', 'app')")) {
                ps.setObject(1, set);
                return ps.executeUpdate();
            }
        })).isInstanceOf(DataAccessException.class);
    }

    @Test
    void aJobRunningTheDefaultSaysSoAndItsRetryReturnsItEvenAfterTheDefaultChanged() {
        UUID tenant = db.app().run(c -> Tenants.create(c, "default-user")).id();
        UUID scan = db.app().inTenant(tenant, c -> Scans.insert(c, aScan(tenant).build())).id();
        UUID first = db.worker().run(c -> DefaultModelSets.registerShipped(c, shipped(sha('6'), "g"))).set().id();

        Submission s = db.app().inTenant(tenant, c -> Jobs.submit(c,
                aJob(tenant, List.of(scan)).setIdempotencyKey("no-set").optDefaultModelSetId(first).build()));
        assertThat(s.job().modelSetId()).isEqualTo(first);
        assertThat(s.job().modelSetDefault()).isTrue();
        List<StateTransition> log = db.app().inTenant(tenant, c -> TransitionLog.history(c, EntityType.JOB, s.job().id()));
        assertThat(log).extracting(StateTransition::reason).containsExactly("submitted without a model set: runs the default model set "
                        + first);

        UUID second = db.worker().run(c -> DefaultModelSets.registerShipped(c, shipped(sha('7'), "g"))).set().id();
        Submission retry = db.app().inTenant(tenant, c -> Jobs.submit(c,
                aJob(tenant, List.of(scan)).setIdempotencyKey("no-set").optDefaultModelSetId(second).build()));
        assertThat(retry.created()).isFalse();
        assertThat(retry.job().id()).isEqualTo(s.job().id());
        assertThat(retry.job().modelSetId()).isEqualTo(first);

        // why: naming a set explicitly is another request than asking for the default
        assertThatThrownBy(() -> db.app().inTenant(tenant, c -> Jobs.submit(c,
                aJob(tenant, List.of(scan)).setIdempotencyKey("no-set").optModelSetId(first).build())))
                .isInstanceOf(IdempotencyConflictException.class);
    }
}
