package org.triplane.gateway.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.triplane.gateway.config.GatewayConfig;
import org.triplane.objectstore.ObjectStore;
import org.triplane.objectstore.ObjectStoreAddress;

/**
 * The gateway's one bucket client, from {@code triplane.object-store.*}; one timeout serves
 * connecting and each read or write, as the setting says. A singleton: the client is final and
 * thread-safe and needs no proxy.
 */
@ApplicationScoped
public class ObjectStoreBean {

    @Produces
    @Singleton
    ObjectStore objectStore(GatewayConfig config) {
        GatewayConfig.ObjectStore c = config.objectStore();
        return new ObjectStore(new ObjectStoreAddress(c.endpoint(), c.accessKey(), c.secretKey(), c.region(), c.bucket(),
                c.timeout(), c.timeout()));
    }
}
