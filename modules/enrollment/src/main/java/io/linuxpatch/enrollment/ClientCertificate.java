package io.linuxpatch.enrollment;

import io.vertx.core.buffer.Buffer;

/**
 * The agent's current certificate and key, presented to the manager as a TLS client certificate when it renews
 * (ENR), so that the manager can recognise the host and approve without a person. The bytes are exactly those
 * AuthVerticle checked and serves.
 */
public record ClientCertificate(Buffer certificatePem, Buffer keyPem) {

  @Override
  public String toString() {
    return "ClientCertificate[key redacted]";
  }
}
