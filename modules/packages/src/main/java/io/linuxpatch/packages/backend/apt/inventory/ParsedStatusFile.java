package io.linuxpatch.packages.backend.apt.inventory;

import java.util.List;

/**
 * What was read from one dpkg status file: the packages of every well-formed stanza, and a problem for
 * each stanza or field that had to be skipped.
 *
 * @param packages in file order
 * @param problems in file order
 */
public record ParsedStatusFile(List<DpkgPackage> packages, List<ParseProblem> problems) {

  public ParsedStatusFile {
    packages = List.copyOf(packages);
    problems = List.copyOf(problems);
  }
}
