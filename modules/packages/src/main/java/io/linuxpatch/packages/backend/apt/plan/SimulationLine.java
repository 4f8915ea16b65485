package io.linuxpatch.packages.backend.apt.plan;

import io.linuxpatch.packages.plan.CandidateArchive;

import java.util.List;

/**
 * One operation line of {@code apt-get -s}: apt's simulator prints {@code Inst}, {@code Remv}, {@code Purg}
 * and {@code Conf} lines in the order it would run them.
 */
public sealed interface SimulationLine
    permits SimulationLine.Inst, SimulationLine.Remv, SimulationLine.Purg, SimulationLine.Conf {

  /** The package name without an architecture qualifier. */
  String name();

  /**
   * {@code Inst NAME [installed] (candidate archives [arch])}: unpack a version.
   *
   * @param installedVersion the current version, {@code null} for a new install
   * @param archives         where the candidate is available, in apt's order (may be empty)
   * @param arch             the candidate's architecture, or the name's {@code :arch} qualifier, or {@code null}
   */
  record Inst(String name, String arch, String installedVersion, String candidateVersion,
      List<CandidateArchive> archives) implements SimulationLine {
    public Inst {
      archives = List.copyOf(archives);
    }
  }

  /** {@code Remv NAME [version]}: remove, keeping configuration files. */
  record Remv(String name, String arch, String installedVersion) implements SimulationLine {
  }

  /** {@code Purg NAME [version]}: remove together with configuration files. */
  record Purg(String name, String arch, String installedVersion) implements SimulationLine {
  }

  /** {@code Conf NAME (version archives [arch])}: configure what was unpacked; no change of its own. */
  record Conf(String name, String arch, String version) implements SimulationLine {
  }
}
