package io.linuxpatch.packages.backend.apt.plan;

import io.linuxpatch.packages.plan.CandidateArchive;
import io.linuxpatch.packages.plan.Plan;
import io.linuxpatch.packages.plan.PlanAction;
import io.linuxpatch.packages.plan.RebootHeuristic;
import io.linuxpatch.packages.plan.SecurityClassification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.linuxpatch.packages.backend.apt.plan.AptSandbox.Stanza;
import io.linuxpatch.packages.plan.PlanAction.Kind;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("Plans are read from what the real apt-get -s prints on a sandbox root")
class AptSimulationSandboxTest {

  @TempDir
  static Path base;

  private static AptSandbox apt;

  private final SecurityClassifier classifier = new SecurityClassifier();

  @BeforeAll
  static void sandbox() throws Exception {
    assumeTrue(AptSandbox.available(), "apt-get and dpkg are not installed");
    apt = AptSandbox.create(base,
        List.of(new Stanza("alpha", "1.0-1"), new Stanza("beta", "2.0-1"),
            new Stanza("linux-image-6.1.0-1-amd64", "6.1.1-1"), new Stanza("zeta", "2.0-1")),
        List.of(new Stanza("alpha", "1.0-1"), new Stanza("alpha", "1.1-1"),
            new Stanza("beta", "2.0-1"), new Stanza("beta", "2.1-1", "Depends: newdep"),
            new Stanza("newdep", "1.0"), new Stanza("gamma", "3.0-1", "Depends: delta"),
            new Stanza("delta", "1.0-1"), new Stanza("eps", "1.0-1", "Conflicts: beta"),
            new Stanza("zeta", "1.0-1"), new Stanza("zeta", "2.0-1")),
        List.of(new Stanza("alpha", "1.1-1"), new Stanza("linux-image-6.1.0-1-amd64", "6.1.2-1")));
  }

  private static Plan plan(String... args) throws Exception {
    AptSimulation simulation = AptSimulation.parse(apt.simulate(args));
    assertThat(simulation.problems()).isEmpty();
    return simulation.toPlan(TestDebianVersions.ORDER, RebootHeuristic.DEFAULT);
  }

  @Test
  @DisplayName("upgrade: two upgrades in apt's order, one kept back, the kernel asks for a reboot")
  void upgrade() throws Exception {
    Plan plan = plan("upgrade");
    assertThat(plan.actions()).extracting(PlanAction::kind, PlanAction::name, PlanAction::fromVersion,
        PlanAction::toVersion, PlanAction::origin, PlanAction::suite).containsExactly(
        tuple(Kind.UPGRADE, "alpha", "1.0-1", "1.1-1", "Debian", "stable"),
        tuple(Kind.UPGRADE, "linux-image-6.1.0-1-amd64", "6.1.1-1", "6.1.2-1", "Debian-Security",
            "stable-security"));
    assertThat(plan.actions().get(0).archives()).extracting(CandidateArchive::suite)
        .containsExactly("stable", "stable-security");
    assertThat(plan.keptBack()).containsExactly("beta");
    assertThat(plan.requiresReboot()).isTrue();
    assertThat(plan.downloadSizeBytes()).isNull();
  }

  @Test
  @DisplayName("upgrade: candidates available from the security suite are classified as security")
  void upgradeClassification() throws Exception {
    Plan plan = plan("upgrade");
    assertThat(plan.actions()).extracting(a -> classifier.classify(a)).containsExactly(
        new SecurityClassification(true, "candidate from stable-security (Debian-Security)"),
        new SecurityClassification(true, "candidate from stable-security (Debian-Security)"));
  }

  @Test
  @DisplayName("dist-upgrade: a dependency is pulled in as a new install and nothing is kept back")
  void distUpgrade() throws Exception {
    Plan plan = plan("dist-upgrade");
    assertThat(plan.actions(Kind.INSTALL)).extracting(PlanAction::name, PlanAction::fromVersion,
        PlanAction::toVersion).containsExactly(tuple("newdep", null, "1.0"));
    assertThat(plan.actions(Kind.UPGRADE)).extracting(PlanAction::name)
        .containsExactlyInAnyOrder("alpha", "beta", "linux-image-6.1.0-1-amd64");
    assertThat(plan.keptBack()).isEmpty();
  }

  @Test
  @DisplayName("install with a conflict: the removal comes first, the dependency is installed, no reboot")
  void conflictAndDependency() throws Exception {
    Plan plan = plan("install", "--", "gamma", "eps");
    assertThat(plan.actions()).extracting(PlanAction::kind, PlanAction::name, PlanAction::toVersion)
        .containsExactly(
            tuple(Kind.REMOVE, "beta", null),
            tuple(Kind.INSTALL, "delta", "1.0-1"),
            tuple(Kind.INSTALL, "eps", "1.0-1"),
            tuple(Kind.INSTALL, "gamma", "3.0-1"));
    assertThat(plan.actions().get(0).fromVersion()).isEqualTo("2.0-1");
    assertThat(plan.requiresReboot()).isFalse();
    assertThat(classifier.classify(plan.actions().get(1)))
        .isEqualTo(new SecurityClassification(false, "candidate from stable (Debian): not a security archive"));
    JsonObject json = plan.toJson();
    assertThat(json.getJsonArray("remove").getJsonObject(0).getString("name")).isEqualTo("beta");
    assertThat(json.getJsonArray("install")).hasSize(3);
  }

  @Test
  @DisplayName("install of an older version is a downgrade, of the same version with --reinstall a reinstall")
  void downgradeAndReinstall() throws Exception {
    assertThat(plan("install", "--", "zeta=1.0-1").actions()).extracting(PlanAction::kind, PlanAction::fromVersion,
        PlanAction::toVersion).containsExactly(tuple(Kind.DOWNGRADE, "2.0-1", "1.0-1"));
    assertThat(plan("install", "--reinstall", "--", "zeta").actions()).extracting(PlanAction::kind)
        .containsExactly(Kind.REINSTALL);
  }

  @Test
  @DisplayName("remove --purge is a purge, listed under remove with purge true")
  void purge() throws Exception {
    Plan plan = plan("remove", "--purge", "--", "beta");
    assertThat(plan.actions()).extracting(PlanAction::kind, PlanAction::name, PlanAction::fromVersion)
        .containsExactly(tuple(Kind.PURGE, "beta", "2.0-1"));
    assertThat(plan.toJson().getJsonArray("remove").getJsonObject(0).getBoolean("purge")).isTrue();
  }

  @Test
  @DisplayName("The same simulation on the same state gives the same plan id in every run")
  void planIdIsStable() throws Exception {
    String first = plan("upgrade").planId("state-1");
    assertThat(plan("upgrade").planId("state-1")).isEqualTo(first).hasSize(64).matches("[0-9a-f]{64}");
    assertThat(plan("upgrade").planId("state-2")).isNotEqualTo(first);
    assertThat(plan("dist-upgrade").planId("state-1")).isNotEqualTo(first);
  }
}
