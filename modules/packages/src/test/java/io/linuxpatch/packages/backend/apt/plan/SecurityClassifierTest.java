package io.linuxpatch.packages.backend.apt.plan;

import io.linuxpatch.packages.plan.CandidateArchive;
import io.linuxpatch.packages.plan.PlanAction;
import io.linuxpatch.packages.plan.SecurityClassification;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@DisplayName("A candidate is security only because of the archive it comes from, never because of its name")
class SecurityClassifierTest {

  private final SecurityClassifier classifier = new SecurityClassifier();

  @ParameterizedTest(name = "{0} / {1} -> {2}")
  @CsvSource(nullValues = "null", textBlock = """
      bookworm-security,       Debian-Security, true
      stable-security,         Debian-Security, true
      oldstable-security,      null,            true
      jammy-security,          Ubuntu,          true
      bookworm-updates,        Debian-Security, true
      bookworm,                Debian,          false
      jammy-updates,           Ubuntu,          false
      security,                Debian,          false
      bookworm-security-extra, Debian,          false
      """)
  @DisplayName("Suites ending in -security and security labels are security archives")
  void archives(String suite, String label, boolean security) {
    assertThat(classifier.isSecurityArchive(suite, label)).isEqualTo(security);
  }

  @Test
  @DisplayName("The reason names the suite and label, and says when it is not a security archive")
  void reasons() {
    assertThat(classifier.classify(List.of(new CandidateArchive("Debian-Security", "12", "bookworm-security"))))
        .isEqualTo(new SecurityClassification(true, "candidate from bookworm-security (Debian-Security)"));
    assertThat(classifier.classify(List.of(new CandidateArchive("Debian", "12", "bookworm"))))
        .isEqualTo(new SecurityClassification(false, "candidate from bookworm (Debian): not a security archive"));
    assertThat(classifier.classify(List.of()).security()).isFalse();
  }

  @Test
  @DisplayName("A package named like a security tool from a normal suite is not security")
  void notFromNames() {
    PlanAction action = new PlanAction(PlanAction.Kind.UPGRADE, "security-updates-openssl-cve-fix", "amd64",
        "1", "2", List.of(new CandidateArchive("Debian", "12", "bookworm")));
    assertThat(classifier.classify(action).security()).isFalse();
  }
}
