package io.linuxpatch.agent;

import io.linuxpatch.agent.config.ConfigFile;
import io.linuxpatch.auth.allowlist.AllowListFile;
import io.linuxpatch.auth.allowlist.HostResolver;
import io.linuxpatch.contract.config.AgentConfig;
import io.linuxpatch.contract.config.ConfigProblem;
import io.linuxpatch.pki.CertificateChecks;
import io.linuxpatch.pki.CertificateReport;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code --check-config} (CFG-3): validates the configuration, the allow-list and the certificates with
 * the same code the agent uses at start-up and on reload, prints one line per finding and answers 0 when
 * nothing is wrong (warnings allowed), else 1.
 */
final class ConfigCheck {

  private final PrintStream out;

  ConfigCheck(PrintStream out) {
    this.out = out;
  }

  int run(Path configFile) {
    List<String> errors = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    ConfigFile file = ConfigFile.read(configFile);
    for (ConfigProblem problem : file.problems()) {
      errors.add("ERROR config " + problem);
    }
    AgentConfig config = file.config();
    if (file.valid()) {
      checkAllowList(config, errors);
      CertificateReport report = CertificateChecks.check(config.tls(), Instant.now(),
          config.enrollment().certRenewalThresholdDays());
      report.errors().forEach(f -> errors.add(f.line()));
      report.warnings().forEach(f -> warnings.add(f.line()));
    }
    errors.forEach(out::println);
    warnings.forEach(out::println);
    if (errors.isEmpty()) {
      out.println("OK " + configFile + ": configuration, allow-list and certificates are valid"
          + (warnings.isEmpty() ? "" : " (" + warnings.size() + " warning(s))"));
      return 0;
    }
    return 1;
  }

  private static void checkAllowList(AgentConfig config, List<String> errors) {
    Path path = Path.of(config.whitelist().path());
    String text;
    try {
      text = Files.readString(path, StandardCharsets.UTF_8);
    } catch (IOException e) {
      errors.add("ERROR whitelist.path: " + path + " cannot be read (" + e.getMessage()
          + "); without it the agent denies every client");
      return;
    }
    AllowListFile.Result result = new AllowListFile(HostResolver.SYSTEM).parse(text);
    if (result instanceof AllowListFile.Invalid invalid) {
      invalid.problems().forEach(p -> errors.add("ERROR whitelist " + path + ": " + p));
    }
  }
}
