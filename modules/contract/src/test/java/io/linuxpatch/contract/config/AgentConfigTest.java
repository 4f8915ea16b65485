package io.linuxpatch.contract.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.linuxpatch.contract.auth.ClientSelector;
import io.linuxpatch.contract.auth.Role;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** {@link AgentConfig#parse}: defaults, problems named by their dotted key, restart-needed changes. */
class AgentConfigTest {

  private static AgentConfig.Parsed parse(String yaml) throws YamlDocument.Invalid {
    return AgentConfig.parse(YamlDocument.parse(yaml));
  }

  private static List<String> problemKeys(String yaml) throws YamlDocument.Invalid {
    return parse(yaml).problems().stream().map(ConfigProblem::key).toList();
  }

  private static Path repoFile(String relative) {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null) {
      Path candidate = dir.resolve(relative);
      if (Files.isRegularFile(candidate)) {
        return candidate;
      }
      dir = dir.getParent();
    }
    throw new AssertionError(relative + " not found above " + Path.of("").toAbsolutePath());
  }

  @Test
  @DisplayName("An empty document and a null document are valid and give the production defaults of every section")
  void emptyDocumentGivesDefaults() {
    AgentConfig.Parsed empty = AgentConfig.parse(new JsonObject());
    AgentConfig.Parsed none = AgentConfig.parse(null);
    assertThat(empty.valid()).isTrue();
    assertThat(none.valid()).isTrue();
    assertThat(none.config()).isEqualTo(empty.config());

    AgentConfig c = empty.config();
    assertThat(c.server()).isEqualTo(new ServerConfig("0.0.0.0", 12443, 60, 10, true, 0));
    assertThat(c.tls()).isEqualTo(new TlsConfig("/etc/linux_patch_api/certs/ca.pem",
        "/etc/linux_patch_api/certs/server.pem", "/etc/linux_patch_api/certs/server.key.pem", null, "1.3"));
    assertThat(c.whitelist().path()).isEqualTo("/etc/linux_patch_api/whitelist.yaml");
    assertThat(c.authorization().configured()).isFalse();
    assertThat(c.authorization().allowHostCertificates()).isFalse();
    assertThat(c.authorization().clients()).isEmpty();
    assertThat(c.rateLimit()).isEqualTo(new RateLimitConfig(true, 120, 30, 20, 10));
    assertThat(c.jobs()).isEqualTo(new JobsConfig(100, 30, 300, 30, 10_000, List.of()));
    assertThat(c.packageManager()).isEqualTo(new PackageManagerConfig("auto", "/", Map.of(), List.of()));
    assertThat(c.patches().advisoryFeed()).isNull();
    assertThat(c.logging()).isEqualTo(new LoggingConfig("info", "/var/log/linux_patch_api/audit.jsonl", 30, null,
        SealConfig.DEFAULTS));
    assertThat(c.system()).isEqualTo(new SystemConfig(List.of("/sbin/shutdown", "-r", "+{delay_minutes}"),
        "/run/reboot-required"));
    assertThat(c.dataDir()).isEqualTo("/var/lib/linux_patch_api");
    assertThat(c.enrollment()).isEqualTo(new EnrollmentConfig(null, null, 30, 120, 7));
    assertThat(c.cluster()).isEqualTo(new ClusterConfig(false, "linux-patch-api", "127.0.0.1", 5801,
        List.of("127.0.0.1"), null, null));
    assertThat(c.metrics().enabled()).isTrue();
    assertThat(AgentConfig.defaults()).isEqualTo(c);
  }

  @Test
  @DisplayName("The example conf/config.yaml of the repository is valid and states exactly the defaults")
  void exampleFileStatesTheDefaults() throws IOException, YamlDocument.Invalid {
    AgentConfig.Parsed parsed = AgentConfig.parse(YamlDocument.parse(Files.readString(repoFile("conf/config.yaml"))));
    assertThat(parsed.problems()).isEmpty();
    assertThat(parsed.config()).isEqualTo(AgentConfig.defaults());
  }

  @Test
  @DisplayName("The commented authorization example of conf/config.yaml is valid once uncommented: a manager by fingerprint, an operator by serial, a CN glob")
  void exampleAuthorizationIsValid() throws IOException, YamlDocument.Invalid {
    StringBuilder section = new StringBuilder();
    for (String line : Files.readAllLines(repoFile("conf/config.yaml"))) {
      if (line.startsWith("# authorization:") || (section.length() > 0 && line.startsWith("#"))) {
        section.append(line.substring(2)).append('\n');
      } else if (section.length() > 0) {
        break;
      }
    }
    AgentConfig.Parsed parsed = parse(section.toString());
    assertThat(parsed.problems()).isEmpty();
    AuthorizationConfig authorization = parsed.config().authorization();
    assertThat(authorization.allowHostCertificates()).isFalse();
    assertThat(authorization.clients()).extracting(AuthorizationConfig.ClientRule::role)
        .containsExactly(Role.ADMIN, Role.OPERATE, Role.READ);
    assertThat(authorization.clients()).extracting(r -> r.selector().getClass().getSimpleName())
        .containsExactly("Fingerprint", "Serial", "CommonNameGlob");
  }

  @Test
  @DisplayName("Values given in the file replace the defaults of their keys")
  void valuesReplaceDefaults() throws YamlDocument.Invalid {
    AgentConfig.Parsed parsed = parse("""
        server: {bind: 127.0.0.1, port: 8443, http2: false}
        tls: {min_version: "1.2", crl_path: /etc/lpa/crl.pem}
        jobs: {maintenance_windows: ["Sat 02:00-04:00"]}
        package_manager: {backend: apt, env: {APT_CONFIG: /tmp/apt.conf, N: 1}}
        data_dir: /srv/lpa
        """);
    assertThat(parsed.problems()).isEmpty();
    AgentConfig c = parsed.config();
    assertThat(c.server().bind()).isEqualTo("127.0.0.1");
    assertThat(c.server().port()).isEqualTo(8443);
    assertThat(c.server().http2()).isFalse();
    assertThat(c.tls().minVersion()).isEqualTo("1.2");
    assertThat(c.tls().crlPath()).isEqualTo("/etc/lpa/crl.pem");
    assertThat(c.jobs().maintenanceWindows()).containsExactly("Sat 02:00-04:00");
    assertThat(c.packageManager().backend()).isEqualTo("apt");
    assertThat(c.packageManager().env()).containsExactly(Map.entry("APT_CONFIG", "/tmp/apt.conf"), Map.entry("N", "1"));
    assertThat(c.dataDir()).isEqualTo("/srv/lpa");
  }

  @Test
  @DisplayName("A value of the wrong type is reported with its dotted key and the default is kept")
  void wrongTypeNamesKey() throws YamlDocument.Invalid {
    AgentConfig.Parsed parsed = parse("server: {port: \"high\", http2: \"yes\"}");
    assertThat(parsed.problems()).extracting(ConfigProblem::key).containsExactly("server.port", "server.http2");
    assertThat(parsed.problems().get(0).problem()).contains("whole number").contains("\"high\"");
    assertThat(parsed.problems().get(1).problem()).contains("true or false");
    assertThat(parsed.config().server().port()).isEqualTo(12443);
    assertThat(parsed.valid()).isFalse();
  }

  @Test
  @DisplayName("A number out of range is reported with its dotted key, its bounds and the value given")
  void outOfRangeNamesKey() throws YamlDocument.Invalid {
    AgentConfig.Parsed parsed = parse("server: {port: 70000}");
    assertThat(parsed.problems()).hasSize(1);
    assertThat(parsed.problems().get(0).toString())
        .isEqualTo("server.port: must be between 1 and 65535, got 70000");
    assertThat(problemKeys("jobs: {max_queue_depth: 0}")).containsExactly("jobs.max_queue_depth");
    assertThat(problemKeys("server: {port: 99999999999}")).containsExactly("server.port");
    assertThat(problemKeys("server: {port: 1.5}")).containsExactly("server.port");
  }

  @Test
  @DisplayName("A relative path is reported with its dotted key, at the top level and inside a section")
  void relativePathNamesKey() throws YamlDocument.Invalid {
    AgentConfig.Parsed parsed = parse("tls: {ca_cert: certs/ca.pem}\ndata_dir: var/lib");
    assertThat(parsed.problems()).extracting(ConfigProblem::key).containsExactly("tls.ca_cert", "data_dir");
    assertThat(parsed.problems().get(0).problem()).contains("absolute path").contains("certs/ca.pem");
    assertThat(parsed.config().tls().caCert()).isEqualTo("/etc/linux_patch_api/certs/ca.pem");
    assertThat(problemKeys("whitelist: {path: \"\"}")).containsExactly("whitelist.path");
  }

  @Test
  @DisplayName("A value that is not one of the allowed words is reported with its key and the allowed words")
  void notOneOfNamesKey() throws YamlDocument.Invalid {
    AgentConfig.Parsed parsed = parse("tls: {min_version: \"1.1\"}\nlogging: {level: loud}\npackage_manager: {backend: yum}");
    assertThat(parsed.problems()).extracting(ConfigProblem::key)
        .containsExactly("tls.min_version", "package_manager.backend", "logging.level");
    assertThat(parsed.problems().get(0).problem()).contains("1.2, 1.3").contains("\"1.1\"");
    assertThat(parsed.config().tls().minVersion()).isEqualTo("1.3");
  }

  @Test
  @DisplayName("An unknown key is rejected with its name, at the top level and inside a section")
  void unknownKeysAreNamed() throws YamlDocument.Invalid {
    AgentConfig.Parsed parsed = parse("bogus: 1\nserver: {prot: 1}\nmetrics: {enabled: true, path: /m}");
    assertThat(parsed.problems()).extracting(ConfigProblem::key)
        .containsExactlyInAnyOrder("bogus", "server.prot", "metrics.path");
    assertThat(parsed.problems()).allSatisfy(p -> assertThat(p.problem()).isEqualTo("unknown key"));
  }

  @Test
  @DisplayName("A section given as a scalar or a list is reported by the section's name and reads as defaults")
  void sectionAsScalar() throws YamlDocument.Invalid {
    AgentConfig.Parsed parsed = parse("server: 8443\njobs: [1, 2]");
    assertThat(parsed.problems()).extracting(ConfigProblem::key).containsExactly("server", "jobs");
    assertThat(parsed.problems().get(0).problem()).contains("section");
    assertThat(parsed.config().server()).isEqualTo(AgentConfig.defaults().server());
  }

  @Test
  @DisplayName("A non-string item of a list is reported with its index, e.g. jobs.maintenance_windows[1]")
  void listItemNamedByIndex() throws YamlDocument.Invalid {
    AgentConfig.Parsed parsed = parse("jobs: {maintenance_windows: [\"Sun 01:00-02:00\", 5, \" \"]}");
    assertThat(parsed.problems()).extracting(ConfigProblem::key)
        .containsExactly("jobs.maintenance_windows[1]", "jobs.maintenance_windows[2]");
    assertThat(problemKeys("jobs: {maintenance_windows: Sunday}")).containsExactly("jobs.maintenance_windows");
    assertThat(problemKeys("package_manager: {env: {A: [x]}}")).containsExactly("package_manager.env.A");
  }

  @Test
  @DisplayName("authorization.clients maps CN globs to roles in file order and names a bad role by its glob")
  void authorizationClients() throws YamlDocument.Invalid {
    AgentConfig.Parsed good = parse("authorization:\n  clients:\n    \"ops-*\": operate\n    \"*\": read\n");
    assertThat(good.problems()).isEmpty();
    assertThat(good.config().authorization().configured()).isTrue();
    assertThat(good.config().authorization().allowHostCertificates()).isFalse();
    assertThat(good.config().authorization().clients()).containsExactly(
        new AuthorizationConfig.ClientRule(new ClientSelector.CommonNameGlob("ops-*"), Role.OPERATE),
        new AuthorizationConfig.ClientRule(new ClientSelector.CommonNameGlob("*"), Role.READ));

    AgentConfig.Parsed bad = parse("authorization:\n  clients:\n    \"ops-*\": root\n    \"mon\": 3\n");
    assertThat(bad.problems()).extracting(ConfigProblem::key)
        .containsExactly("authorization.clients.ops-*", "authorization.clients.mon");
    assertThat(bad.problems().get(0).problem()).contains("read, operate or admin").contains("root");

    assertThat(problemKeys("authorization: {clients: [a]}")).containsExactly("authorization.clients");
    assertThat(problemKeys("authorization: {users: {}}")).containsExactly("authorization.users");
    assertThat(problemKeys("authorization: {clients: {\"\": read}}")).containsExactly("authorization.clients");
  }

  @Test
  @DisplayName("authorization.clients names certificates by sha256: and serial: too; a malformed or repeated one is named")
  void authorizationExactClients() throws YamlDocument.Invalid {
    String fingerprint = "AB:".repeat(31) + "AB";
    AgentConfig.Parsed good = parse("authorization:\n  allow_host_certificates: true\n  clients:\n"
        + "    \"sha256:" + fingerprint + "\": admin\n    \"serial:0A1B\": operate\n");
    assertThat(good.problems()).isEmpty();
    assertThat(good.config().authorization().allowHostCertificates()).isTrue();
    assertThat(good.config().authorization().clients()).containsExactly(
        new AuthorizationConfig.ClientRule(new ClientSelector.Fingerprint("ab".repeat(32)), Role.ADMIN),
        new AuthorizationConfig.ClientRule(new ClientSelector.Serial("a1b"), Role.OPERATE));

    AgentConfig.Parsed bad = parse("authorization:\n  clients:\n    \"sha256:abc\": admin\n"
        + "    \"serial:zz\": read\n    \"serial:a1b\": read\n    \"serial:0a1b\": admin\n");
    assertThat(bad.problems()).extracting(ConfigProblem::key).containsExactly("authorization.clients.sha256:abc",
        "authorization.clients.serial:zz", "authorization.clients.serial:0a1b");
    assertThat(bad.problems().get(0).problem()).contains("64 hex digits");
    assertThat(bad.problems().get(2).problem()).contains("same certificate as \"serial:a1b\"");
    assertThat(problemKeys("authorization: {allow_host_certificates: maybe}"))
        .containsExactly("authorization.allow_host_certificates");
  }

  @Test
  @DisplayName("logging.syslog is off by default and when false, the defaults when true, or a section with host, port and facility")
  void syslogForms() throws YamlDocument.Invalid {
    assertThat(parse("logging: {syslog: false}").config().logging().syslog()).isNull();
    assertThat(parse("logging: {syslog: true}").config().logging().syslog())
        .isEqualTo(new SyslogConfig("127.0.0.1", 514, "AUTH"));
    AgentConfig.Parsed section = parse("logging:\n  syslog:\n    host: logs.example.internal\n    port: 5514\n"
        + "    facility: local3\n");
    assertThat(section.problems()).isEmpty();
    assertThat(section.config().logging().syslog()).isEqualTo(new SyslogConfig("logs.example.internal", 5514, "LOCAL3"));
    assertThat(parse("logging: {syslog: {port: 1514}}").config().logging().syslog())
        .isEqualTo(new SyslogConfig("127.0.0.1", 1514, "AUTH"));
    assertThat(AgentConfig.defaults().restartNeededChanges(section.config())).containsExactly("logging.syslog");
  }

  @Test
  @DisplayName("logging.seal: on by default (900 s, 1000 records); a section changes it, needs a restart, and bad values name their key")
  void sealForms() throws YamlDocument.Invalid {
    assertThat(AgentConfig.defaults().logging().seal()).isEqualTo(new SealConfig(true, 900, 1000));
    AgentConfig.Parsed section = parse("logging:\n  seal:\n    enabled: false\n    interval_seconds: 60\n"
        + "    max_records: 50\n");
    assertThat(section.problems()).isEmpty();
    assertThat(section.config().logging().seal()).isEqualTo(new SealConfig(false, 60, 50));
    assertThat(AgentConfig.defaults().restartNeededChanges(section.config())).containsExactly("logging.seal");
    assertThat(problemKeys("logging: {seal: {interval_seconds: 0}}")).containsExactly("logging.seal.interval_seconds");
    assertThat(problemKeys("logging: {seal: {max_records: -1}}")).containsExactly("logging.seal.max_records");
    assertThat(problemKeys("logging: {seal: {key: abc}}")).containsExactly("logging.seal.key");
    assertThat(problemKeys("logging: {seal: yes}")).containsExactly("logging.seal");
  }

  @Test
  @DisplayName("a bad logging.syslog names the key: not a section, unknown facility, port out of range, unknown key")
  void syslogProblems() throws YamlDocument.Invalid {
    assertThat(problemKeys("logging: {syslog: yes please}")).containsExactly("logging.syslog");
    assertThat(problemKeys("logging: {syslog: {facility: SECURITY}}")).containsExactly("logging.syslog.facility");
    assertThat(problemKeys("logging: {syslog: {port: 70000}}")).containsExactly("logging.syslog.port");
    assertThat(problemKeys("logging: {syslog: {protocol: tcp}}")).containsExactly("logging.syslog.protocol");
  }

  @Test
  @DisplayName("An empty authorization section counts as configured, so nobody gets a role by default")
  void emptyAuthorizationSectionIsConfigured() throws YamlDocument.Invalid {
    AgentConfig.Parsed parsed = parse("authorization: {}");
    assertThat(parsed.problems()).isEmpty();
    assertThat(parsed.config().authorization().configured()).isTrue();
    assertThat(parsed.config().authorization().clients()).isEmpty();
  }

  @Test
  @DisplayName("Several problems of one document are all reported at once")
  void severalProblemsAtOnce() throws YamlDocument.Invalid {
    assertThat(problemKeys("""
        server: {port: 0, bind: ""}
        tls: {server_key: key.pem}
        rate_limit: {enabled: maybe}
        enrollment: {manager_url: "http://fleet"}
        cluster: {members: [1]}
        surprise: true
        """)).containsExactlyInAnyOrder("server.bind", "server.port", "tls.server_key", "rate_limit.enabled",
            "enrollment.manager_url", "cluster.members[0]", "surprise");
  }

  @Test
  @DisplayName("enrollment.manager_url is https://, or plain http:// on the loopback literals only; manager_ca is a path")
  void managerUrlRules() throws YamlDocument.Invalid {
    for (String ok : List.of("https://fleet.example.internal", "https://fleet:8443/base", "https://10.0.0.5",
        "http://127.0.0.1:8080", "http://[::1]:8080", "HTTPS://fleet")) {
      AgentConfig.Parsed parsed = parse("enrollment: {manager_url: \"" + ok + "\"}");
      assertThat(parsed.problems()).as(ok).isEmpty();
      assertThat(parsed.config().enrollment().managerUrl()).isEqualTo(ok);
      assertThat(parsed.config().enrollment().configured()).isTrue();
    }
    for (String bad : List.of("http://fleet", "http://localhost:8080", "http://10.0.0.5", "ftp://fleet",
        "fleet.example", "https://user:pw@fleet", "https://fleet/?x=1", "https://fleet/#top", "https:///nohost")) {
      AgentConfig.Parsed parsed = parse("enrollment: {manager_url: \"" + bad + "\"}");
      assertThat(parsed.problems()).as(bad).extracting(ConfigProblem::key).containsExactly("enrollment.manager_url");
      assertThat(parsed.problems().get(0).problem()).as(bad).contains(bad);
      assertThat(parsed.config().enrollment().configured()).isFalse();
    }
    AgentConfig.Parsed ca = parse("enrollment: {manager_url: https://fleet, manager_ca: /etc/lpa/manager-ca.pem}");
    assertThat(ca.problems()).isEmpty();
    assertThat(ca.config().enrollment()).isEqualTo(
        new EnrollmentConfig("https://fleet", "/etc/lpa/manager-ca.pem", 30, 120, 7));
    assertThat(problemKeys("enrollment: {manager_ca: manager-ca.pem}")).containsExactly("enrollment.manager_ca");
  }

  @Test
  @DisplayName("The commented enrollment keys of conf/config.yaml are valid once uncommented")
  void exampleEnrollmentIsValid() throws IOException, YamlDocument.Invalid {
    StringBuilder section = new StringBuilder();
    boolean inside = false;
    for (String line : Files.readAllLines(repoFile("conf/config.yaml"))) {
      if (line.startsWith("enrollment:")) {
        inside = true;
        section.append(line).append('\n');
      } else if (inside && line.startsWith("  ")) {
        section.append(line.replaceFirst("^  # ", "  ")).append('\n');
      } else if (inside) {
        break;
      }
    }
    AgentConfig.Parsed parsed = parse(section.toString());
    assertThat(parsed.problems()).isEmpty();
    assertThat(parsed.config().enrollment().managerUrl()).isNotNull();
    assertThat(parsed.config().enrollment().managerCa()).isNotNull();
  }

  @Test
  @DisplayName("restartNeededChanges is empty for an equal config and for changes a reload applies")
  void noRestartForReloadableChanges() throws YamlDocument.Invalid {
    AgentConfig base = AgentConfig.defaults();
    assertThat(base.restartNeededChanges(AgentConfig.defaults())).isEmpty();
    AgentConfig reloadable = parse("""
        server: {request_timeout_seconds: 20}
        tls: {ca_cert: /x/ca.pem, crl_path: /x/crl.pem}
        whitelist: {path: /x/w.yaml}
        authorization: {clients: {"*": read}}
        rate_limit: {reads_per_minute: 5}
        jobs: {timeout_minutes: 5}
        patches: {advisory_feed: /x/feed.json}
        logging: {level: debug}
        system: {reboot_command: [/bin/true]}
        enrollment: {polling_interval_seconds: 5}
        """).config();
    assertThat(base.restartNeededChanges(reloadable)).isEmpty();
  }

  @Test
  @DisplayName("restartNeededChanges lists exactly the restart keys that changed")
  void restartKeysListed() throws YamlDocument.Invalid {
    AgentConfig base = AgentConfig.defaults();
    AgentConfig all = parse("""
        server: {bind: 127.0.0.1, port: 1, instances: 2, http2: false, idle_timeout_seconds: 5}
        tls: {min_version: "1.2"}
        data_dir: /srv
        cluster: {enabled: true}
        metrics: {enabled: false}
        package_manager: {backend: apt}
        """).config();
    assertThat(base.restartNeededChanges(all)).containsExactly("server.bind", "server.port", "server.instances",
        "server.http2", "server.idle_timeout_seconds", "tls.min_version", "data_dir", "cluster", "metrics",
        "package_manager");
    assertThat(base.restartNeededChanges(parse("server: {port: 1}\nlogging: {level: warn}").config()))
        .containsExactly("server.port");
    assertThat(base.restartNeededChanges(parse("package_manager: {options: [--foo]}").config()))
        .containsExactly("package_manager");
  }

  @Test
  @DisplayName("tls.min_version 1.3 enables only TLSv1.3, 1.2 enables TLSv1.2 and TLSv1.3")
  void tlsProtocols() throws YamlDocument.Invalid {
    assertThat(AgentConfig.defaults().tls().protocols()).isEqualTo(Set.of("TLSv1.3"));
    assertThat(parse("tls: {min_version: \"1.2\"}").config().tls().protocols())
        .isEqualTo(Set.of("TLSv1.2", "TLSv1.3"));
  }

  @Test
  @DisplayName("system.reboot_command must start with an absolute program and must not be empty")
  void rebootCommandNeedsAbsoluteProgram() throws YamlDocument.Invalid {
    AgentConfig.Parsed relative = parse("system: {reboot_command: [shutdown, -r, now]}");
    assertThat(relative.problems()).extracting(ConfigProblem::key).containsExactly("system.reboot_command");
    assertThat(relative.problems().get(0).problem()).contains("absolute").contains("shutdown");
    assertThat(problemKeys("system: {reboot_command: []}")).containsExactly("system.reboot_command");
    assertThat(problemKeys("system: {reboot_command: [/usr/sbin/reboot]}")).isEmpty();
  }
}
