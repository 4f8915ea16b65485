package io.linuxpatch.contract.auth;

import io.vertx.core.buffer.Buffer;
import java.util.Set;

/**
 * The validated TLS material AuthVerticle publishes at start and whenever a certificate, key or CRL file
 * changes (CFG-2): the HTTP verticles build their server SSL options from these bytes, never from the
 * files, so what they serve is exactly what was checked.
 *
 * @param caPem         CA certificate(s) client certificates must chain to (SEC-2)
 * @param serverCertPem the server certificate (chain)
 * @param serverKeyPem  the server private key (PKCS#8 or traditional PEM)
 * @param crlPem        the CRL, or null when none is configured
 * @param protocols     enabled protocol names (TLSv1.3, and TLSv1.2 when allowed)
 * @param generation    increases with every reload
 */
public record TlsMaterial(Buffer caPem, Buffer serverCertPem, Buffer serverKeyPem, Buffer crlPem,
    Set<String> protocols, long generation) {}
