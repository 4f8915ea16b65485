package io.linuxpatch.pki;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.bouncycastle.util.IPAddress;

/**
 * What a leaf certificate should say: its subject CN, purposes (EKU), subject alternative names and
 * validity window. Plain data, so tests can bend one field (an expired client, a serverAuth-only leaf)
 * without a builder.
 *
 * @param commonName  subject CN; the client identity (SEC-5) for client certificates
 * @param purposes    extendedKeyUsage values; empty means no EKU extension at all
 * @param dnsNames    SAN DNS names
 * @param ipAddresses SAN IP addresses (IPv4 or IPv6 literals)
 * @param notBefore   start of validity
 * @param notAfter    end of validity, after {@code notBefore}
 */
public record LeafSpec(String commonName, Set<KeyPurpose> purposes, List<String> dnsNames,
    List<String> ipAddresses, Instant notBefore, Instant notAfter) {

  /** 825 days is the longest lifetime browsers and most TLS stacks still accept for a leaf. */
  public static final Duration DEFAULT_VALIDITY = Duration.ofDays(825);

  /** Back-dating covers hosts whose clocks lag a little behind the machine that issued the certificate. */
  static final Duration CLOCK_SKEW = Duration.ofHours(1);

  public LeafSpec {
    if (commonName == null || commonName.isBlank()) {
      throw new IllegalArgumentException("a certificate needs a non-blank common name");
    }
    Objects.requireNonNull(notBefore, "notBefore");
    Objects.requireNonNull(notAfter, "notAfter");
    if (!notAfter.isAfter(notBefore)) {
      throw new IllegalArgumentException("notAfter " + notAfter + " must be after notBefore " + notBefore);
    }
    purposes = Set.copyOf(purposes);
    dnsNames = List.copyOf(dnsNames);
    ipAddresses = List.copyOf(ipAddresses);
    for (String ip : ipAddresses) {
      if (!IPAddress.isValid(ip)) {
        throw new IllegalArgumentException("not an IP address literal: " + ip);
      }
    }
  }

  /**
   * The agent's certificate: serverAuth for the HTTPS listener and clientAuth because the same
   * certificate is the agent's identity towards other members of a clustered event bus.
   */
  public static LeafSpec server(String commonName) {
    Instant notBefore = Instant.now().minus(CLOCK_SKEW);
    return new LeafSpec(commonName, EnumSet.of(KeyPurpose.SERVER_AUTH, KeyPurpose.CLIENT_AUTH),
        List.of("localhost"), List.of("127.0.0.1", "::1"), notBefore, notBefore.plus(DEFAULT_VALIDITY));
  }

  /** A client certificate for an API caller: clientAuth only, no SANs. */
  public static LeafSpec client(String commonName) {
    Instant notBefore = Instant.now().minus(CLOCK_SKEW);
    return new LeafSpec(commonName, EnumSet.of(KeyPurpose.CLIENT_AUTH), List.of(), List.of(),
        notBefore, notBefore.plus(DEFAULT_VALIDITY));
  }

  public LeafSpec withPurposes(KeyPurpose... newPurposes) {
    return new LeafSpec(commonName, Set.copyOf(List.of(newPurposes)), dnsNames, ipAddresses, notBefore, notAfter);
  }

  public LeafSpec withValidity(Instant newNotBefore, Instant newNotAfter) {
    return new LeafSpec(commonName, purposes, dnsNames, ipAddresses, newNotBefore, newNotAfter);
  }

  public LeafSpec withDnsNames(String... newDnsNames) {
    return new LeafSpec(commonName, purposes, List.of(newDnsNames), ipAddresses, notBefore, notAfter);
  }

  public LeafSpec withIpAddresses(String... newIpAddresses) {
    return new LeafSpec(commonName, purposes, dnsNames, List.of(newIpAddresses), notBefore, notAfter);
  }
}
