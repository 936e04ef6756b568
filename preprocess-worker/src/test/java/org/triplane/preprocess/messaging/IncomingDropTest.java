package org.triplane.preprocess.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.triplane.events.ObjectKeys;

class IncomingDropTest {
    private static final UUID TENANT = UUID.fromString("0b6d3c1e-9a7f-4f51-8e0a-2f1c3d4e5f60");

    @Test
    void aCtAndItsTransformBelongToTheSameDrop() {
        IncomingDrop ct = IncomingDrop.of("incoming/" + TENANT + "/study 7/ct.nii.gz").orElseThrow();
        IncomingDrop tf = IncomingDrop.of("incoming/" + TENANT + "/study 7/transform.txt").orElseThrow();

        assertThat(ct).isEqualTo(tf);
        assertThat(ct.tenantId()).isEqualTo(TENANT);
        assertThat(ct.ctKey()).isEqualTo("incoming/" + TENANT + "/study 7/ct.nii.gz");
        assertThat(ct.transformKey()).isEqualTo("incoming/" + TENANT + "/study 7/transform.txt");
        assertThat(ct.eventId()).isEqualTo("bucket:incoming/" + TENANT + "/study 7/");
    }

    @Test
    void aUrlEncodedNotificationKeyDecodesToTheDrop() {
        String encoded = "incoming%2F" + TENANT + "%2Fstudy+7%2Fct.nii.gz";
        assertThat(IncomingDrop.of(ObjectKeys.decodeNotificationKey(encoded)))
                .hasValueSatisfying(d -> assertThat(d.folder()).isEqualTo("incoming/" + TENANT + "/study 7/"));
    }

    @Test
    void otherKeysAreNotDrops() {
        assertThat(IncomingDrop.of(ObjectKeys.preprocessed(TENANT, UUID.randomUUID()))).isEmpty();
        assertThat(IncomingDrop.of("incoming/" + TENANT + "/a/labels.nii.gz")).isEmpty();
        assertThat(IncomingDrop.of("incoming/not-a-tenant-uuid-at-all-xxxxxxxxxxxxx/a/ct.nii.gz")).isEmpty();
        assertThat(IncomingDrop.of("incoming/" + TENANT + "/a/b/ct.nii.gz")).isEmpty();
    }
}
