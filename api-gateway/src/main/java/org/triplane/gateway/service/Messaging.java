package org.triplane.gateway.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.triplane.messaging.EventCodec;
import org.triplane.messaging.OutboxMessages;

/** Beans of the plain-Java messaging library. */
@ApplicationScoped
public class Messaging {

    @Produces
    @Singleton
    EventCodec codec() {
        return new EventCodec();
    }

    @Produces
    @Singleton
    OutboxMessages outboxMessages(EventCodec codec) {
        return new OutboxMessages(codec);
    }
}
