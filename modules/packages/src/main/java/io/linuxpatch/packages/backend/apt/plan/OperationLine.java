package io.linuxpatch.packages.backend.apt.plan;

import io.linuxpatch.packages.plan.CandidateArchive;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads one {@code Inst}/{@code Remv}/{@code Purg}/{@code Conf} line in the form apt's simulator prints it
 * ({@code pkgSimulate}): {@code VERB NAME[:ARCH] [CURRENT] (CANDIDATE RELEASES [ARCH])}, optionally followed
 * by {@code [pkg on dep]} notes about broken dependencies, which are ignored.
 */
final class OperationLine {

  private OperationLine() {
  }

  /** The line as a {@link SimulationLine}; {@link IllegalArgumentException} says what is missing. */
  static SimulationLine parse(String line) {
    String verb = line.substring(0, 4);
    String rest = line.substring(5).strip();
    int nameEnd = indexOfSpace(rest);
    String fullName = rest.substring(0, nameEnd);
    if (fullName.isEmpty()) {
      throw new IllegalArgumentException("no package name");
    }
    // apt prints foreign-architecture packages as name:arch
    String name = fullName;
    String nameArch = null;
    int colon = fullName.indexOf(':');
    if (colon > 0) {
      name = fullName.substring(0, colon);
      nameArch = fullName.substring(colon + 1);
    }
    rest = rest.substring(nameEnd).strip();

    String current = null;
    if (rest.startsWith("[")) {
      int close = rest.indexOf(']');
      if (close < 0) {
        throw new IllegalArgumentException("unclosed [current version]");
      }
      current = rest.substring(1, close).strip();
      if (current.isEmpty()) {
        throw new IllegalArgumentException("empty [current version]");
      }
      rest = rest.substring(close + 1).strip();
    }

    if (verb.equals("Remv") || verb.equals("Purg")) {
      if (current == null) {
        throw new IllegalArgumentException("removal without the [version] being removed");
      }
      return verb.equals("Remv") ? new SimulationLine.Remv(name, nameArch, current)
          : new SimulationLine.Purg(name, nameArch, current);
    }

    if (!rest.startsWith("(")) {
      throw new IllegalArgumentException("no (candidate version) after the package name");
    }
    int close = rest.lastIndexOf(')');
    if (close < 0) {
      throw new IllegalArgumentException("unclosed (candidate version)");
    }
    Candidate candidate = Candidate.parse(rest.substring(1, close));
    String arch = candidate.arch() != null ? candidate.arch() : nameArch;
    if (verb.equals("Conf")) {
      return new SimulationLine.Conf(name, arch, candidate.version());
    }
    return new SimulationLine.Inst(name, arch, current, candidate.version(), candidate.archives());
  }

  private static int indexOfSpace(String s) {
    int space = s.indexOf(' ');
    return space < 0 ? s.length() : space;
  }

  /** The parenthesised part: {@code VERSION RELEASE, RELEASE [ARCH]}. */
  private record Candidate(String version, List<CandidateArchive> archives, String arch) {

    static Candidate parse(String inside) {
      String text = inside.strip();
      int versionEnd = indexOfSpace(text);
      String version = text.substring(0, versionEnd);
      if (version.isEmpty()) {
        throw new IllegalArgumentException("empty candidate version");
      }
      String releases = text.substring(versionEnd).strip();
      String arch = null;
      if (releases.endsWith("]")) {
        int open = releases.lastIndexOf('[');
        if (open < 0) {
          throw new IllegalArgumentException("unopened [architecture]");
        }
        arch = releases.substring(open + 1, releases.length() - 1).strip();
        releases = releases.substring(0, open).strip();
      }
      List<CandidateArchive> archives = new ArrayList<>();
      if (!releases.isEmpty()) {
        for (String entry : releases.split(", ")) {
          if (!entry.isBlank()) {
            archives.add(CandidateArchive.parse(entry));
          }
        }
      }
      return new Candidate(version, archives, arch == null || arch.isEmpty() ? null : arch);
    }
  }
}
