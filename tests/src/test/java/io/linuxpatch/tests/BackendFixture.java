package io.linuxpatch.tests;

import io.linuxpatch.packages.sandbox.SandboxConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One backend's demo sandbox as the contract suite ({@link BackendContractTest}) drives it, and what that backend's
 * own tools say about it: the suite's expectations always come from the real package manager, never from the agent.
 * Every backend has the same demo catalogue (demo-base; demo-tool with a normal update; demo-ssl with a security
 * update whose advisory names CVE-2026-0001 with severity high; demo-app requiring demo-lib; demo-legacy and the
 * conflicting demo-modern); versions are each backend's own.
 */
interface BackendFixture {

  /** {@code apt}, {@code dnf} or {@code pacman}. */
  String name();

  /** Why this machine cannot run the backend's demo, or null when it can. */
  String missing();

  /** Builds the demo sandbox under {@code dir} with the backend's real tools. */
  SandboxConfig create(Path dir);

  /** The installed packages by name, as the backend's own query tool lists them. */
  Map<String, String> installed();

  /** The names the backend's own simulation of installing {@code name} would install (name included). */
  List<String> simulatedInstall(String name);

  /** The files of the package database, for byte-identical checks after a dry run. */
  List<Path> databaseFiles();

  /** demo-tool's and demo-ssl's update versions, as the backend writes them. */
  String toolUpdate();

  String sslUpdate();

  /** The versions the sandbox starts with. */
  String toolInstalled();

  /** Holds the package manager's lock the way another program (a person, unattended-upgrades) would. */
  AutoCloseable holdLock() throws Exception;

  /**
   * Publishes a package {@code name} 1.0 whose install scriptlet fails the first time it runs, in a repository of
   * the sandbox: a repair job then finishes it.
   */
  void addFailingScriptlet(String name);

  /**
   * Publishes a package {@code name} 1.0 whose install scriptlet takes at least {@code seconds} the first time it runs
   * (cancel, timeout); where the package manager reruns it after an interruption (dpkg's repair), it then finishes.
   */
  void addSlowScriptlet(String name, int seconds);

  /** Whether the slow scriptlet of {@code name} has started its first run (the marker it makes first exists). */
  boolean slowScriptletStarted(String name);

  /** Live package-manager processes working on the sandbox, but for {@code except}. */
  List<ProcessHandle> processes(long... except);
}
