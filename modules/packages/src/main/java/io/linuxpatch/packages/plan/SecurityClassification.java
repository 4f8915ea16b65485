package io.linuxpatch.packages.plan;

/**
 * Whether a candidate is a security update and why (SPEC "Provenance"), e.g.
 * {@code candidate from bookworm-security (Debian-Security)}.
 */
public record SecurityClassification(boolean security, String reason) {
}
