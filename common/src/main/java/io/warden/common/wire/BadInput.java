package io.warden.common.wire;

/** A request body that is not what the contract says; the message names the field. Answered as a 400. */
public final class BadInput extends RuntimeException {

    public BadInput(String message) {
        super(message);
    }
}
