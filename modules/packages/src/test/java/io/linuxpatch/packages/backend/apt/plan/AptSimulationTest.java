package io.linuxpatch.packages.backend.apt.plan;

import io.linuxpatch.packages.plan.CandidateArchive;
import io.linuxpatch.packages.plan.Plan;
import io.linuxpatch.packages.plan.PlanAction;
import io.linuxpatch.packages.plan.RebootHeuristic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.linuxpatch.packages.plan.PlanAction.Kind;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("apt simulation lines in every printed form become plan actions; odd lines become problems")
class AptSimulationTest {

  private static Plan plan(String stdout) {
    return AptSimulation.parse(stdout).toPlan(TestDebianVersions.ORDER, RebootHeuristic.DEFAULT);
  }

  @Test
  @DisplayName("The host's form with the security archive and an architecture is read completely")
  void hostForm() {
    SimulationLine line = AptSimulation.parse(
        "Inst apt [2.6.1] (2.6.2 Debian-Security:12/oldstable-security [amd64])").lines().get(0);
    assertThat(line).isEqualTo(new SimulationLine.Inst("apt", "amd64", "2.6.1", "2.6.2",
        List.of(new CandidateArchive("Debian-Security", "12", "oldstable-security"))));
  }

  @Test
  @DisplayName("Short archive forms, a PPA label with spaces, a foreign architecture and [pkg on dep] notes parse")
  void otherForms() {
    AptSimulation sim = AptSimulation.parse(String.join("\n",
        "Inst php8.1 [8.1.2-1] (8.1.3-1 PPA for Ondřej Surý:22.04/jammy [amd64])",
        "Inst libc6:i386 (2.36-9+deb12u4 Debian:12/stable [i386])",
        "Inst foo (1.0 stable [all])",
        "Inst bar [1.0] (1.1 localhost [amd64]) [baz on bar]",
        "Inst qux (2.0 Label:suite)",
        "Conf foo (1.0 stable [all])"));
    assertThat(sim.problems()).isEmpty();
    Plan plan = sim.toPlan(TestDebianVersions.ORDER, RebootHeuristic.DEFAULT);
    assertThat(plan.actions()).extracting(PlanAction::kind, PlanAction::name, PlanAction::arch,
        PlanAction::fromVersion, PlanAction::toVersion, PlanAction::origin, PlanAction::suite).containsExactly(
        tuple(Kind.UPGRADE, "php8.1", "amd64", "8.1.2-1", "8.1.3-1", "PPA for Ondřej Surý", "jammy"),
        tuple(Kind.INSTALL, "libc6", "i386", null, "2.36-9+deb12u4", "Debian", "stable"),
        tuple(Kind.INSTALL, "foo", "all", null, "1.0", null, "stable"),
        tuple(Kind.UPGRADE, "bar", "amd64", "1.0", "1.1", null, "localhost"),
        tuple(Kind.INSTALL, "qux", null, null, "2.0", "Label", "suite"));
    assertThat(plan.requiresReboot()).as("libc6 is in the default reboot list").isTrue();
  }

  @Test
  @DisplayName("The first of several archives is where the candidate comes from")
  void multiArchive() {
    PlanAction action = plan("Inst openssl [3.0.11-1~deb12u1] (3.0.11-1~deb12u2 Debian:12/stable, "
        + "Debian-Security:12/stable-security [amd64])").actions().get(0);
    assertThat(action.origin()).isEqualTo("Debian");
    assertThat(action.suite()).isEqualTo("stable");
    assertThat(action.archives()).hasSize(2);
    assertThat(new SecurityClassifier().classify(action).security()).isTrue();
  }

  @Test
  @DisplayName("Kept-back, held-back and phasing blocks list their names; other blocks are ignored")
  void keptBack() {
    AptSimulation sim = AptSimulation.parse(String.join("\n",
        "Reading package lists...",
        "The following packages have been kept back:",
        "  beta gamma",
        "  delta:i386",
        "The following packages will be upgraded:",
        "  alpha",
        "Not upgrading yet due to phasing:",
        "  ubuntu-advantage-tools",
        "The following held packages will be changed:",
        "  zeta",
        "1 upgraded, 0 newly installed, 0 to remove and 4 not upgraded.",
        "Inst alpha [1] (2 Debian:12/stable [amd64])"));
    assertThat(sim.keptBack()).containsExactly("beta", "gamma", "delta:i386", "ubuntu-advantage-tools");
    assertThat(sim.toPlan(TestDebianVersions.ORDER, RebootHeuristic.DEFAULT).toJson().getJsonArray("kept_back"))
        .hasSize(4);
  }

  @Test
  @DisplayName("Unreadable operation lines are collected with their line number; the others still count")
  void problemsAreCollected() {
    AptSimulation sim = AptSimulation.parse(String.join("\n",
        "Inst good (1.0 Debian:12/stable [amd64])",
        "Inst broken",
        "Remv nover",
        "Inst unclosed [1.0 (2.0 x)",
        "Remv fine [1.0]"));
    assertThat(sim.problems()).extracting(SimulationProblem::lineNumber).containsExactly(2, 3, 4);
    assertThat(sim.problems().get(0).toString()).contains("line 2").contains("Inst broken");
    assertThat(sim.lines()).extracting(SimulationLine::name).containsExactly("good", "fine");
  }

  @Test
  @DisplayName("Empty output is an empty plan; a Need-to-get line gives the (rounded) download size")
  void emptyAndDownloadSize() {
    assertThat(plan("").isEmpty()).isTrue();
    assertThat(plan(null).toJson().getValue("download_size_bytes")).isNull();
    assertThat(plan("Need to get 0 B/1,234 kB of archives.").downloadSizeBytes()).isEqualTo(1_234_000L);
    assertThat(plan("Need to get 12.5 MB of archives.").downloadSizeBytes()).isEqualTo(12_500_000L);
  }

  @Test
  @DisplayName("The plan JSON is snake_case with from/to versions and nulls where nothing applies")
  void json() {
    JsonObject json = plan(String.join("\n",
        "Remv old [1.0]",
        "Inst new (2.0 Debian:12/stable [amd64])")).toJson();
    assertThat(json.fieldNames()).containsExactlyInAnyOrder("install", "upgrade", "downgrade", "reinstall",
        "remove", "kept_back", "requires_reboot", "download_size_bytes");
    JsonObject install = json.getJsonArray("install").getJsonObject(0);
    assertThat(install.containsKey("from_version")).isTrue();
    assertThat(install.getString("from_version")).isNull();
    assertThat(install.getString("to_version")).isEqualTo("2.0");
    assertThat(install.getString("suite")).isEqualTo("stable");
    assertThat(json.getJsonArray("remove").getJsonObject(0).getString("to_version")).isNull();
    assertThat(json.getBoolean("requires_reboot")).isFalse();
  }

  @Test
  @DisplayName("The plan id keeps apt's order: the same actions in another order give another id")
  void planIdOrder() {
    String a = plan("Remv b [1]\nInst a (1 s)").planId("fp");
    String b = plan("Inst a (1 s)\nRemv b [1]").planId("fp");
    assertThat(a).isNotEqualTo(b);
    assertThat(plan("Remv b [1]\nInst a (1 s)").planId("fp")).isEqualTo(a);
  }

  @Test
  @DisplayName("The reboot hint follows the configured list and kernel-image prefix, for removals too")
  void rebootHeuristic() {
    assertThat(plan("Remv linux-image-6.1.0-9-amd64 [6.1.27-1]").requiresReboot()).isTrue();
    assertThat(plan("Inst systemd [252.1] (252.2 s)").requiresReboot()).isTrue();
    assertThat(plan("Inst linux-headers-6.1 (1 s)").requiresReboot()).isFalse();
    RebootHeuristic custom = new RebootHeuristic(Set.of("openssh-server"), List.of());
    assertThat(AptSimulation.parse("Inst openssh-server [1] (2 s)").toPlan(TestDebianVersions.ORDER, custom)
        .requiresReboot()).isTrue();
    assertThat(AptSimulation.parse("Inst systemd [1] (2 s)").toPlan(TestDebianVersions.ORDER, custom)
        .requiresReboot()).isFalse();
  }
}
