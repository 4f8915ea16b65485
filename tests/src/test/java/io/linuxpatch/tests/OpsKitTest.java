package io.linuxpatch.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * OPR-2: the ops kit in {@code ops/} — Prometheus alerting rules that promtool accepts and whose unit tests pass, and a
 * Grafana dashboard (and rules) whose queries name only metrics a real agent exports at {@code /metrics}.
 */
@Tag("OPR-2")
class OpsKitTest {

  static final Path RULES = Path.of("../ops/prometheus/linux-patch-api.rules.yml");
  static final Path RULE_TESTS = Path.of("../ops/prometheus/linux-patch-api.rules.test.yml");
  static final Path DASHBOARD = Path.of("../ops/grafana/linux-patch-api.json");

  /** Words of PromQL that are not metric names (aggregation modifiers and set operators). */
  private static final Set<String> KEYWORDS = Set.of("by", "without", "on", "ignoring", "group_left", "group_right",
      "and", "or", "unless", "bool", "offset");

  @TempDir
  Path dir;

  @Test
  @DisplayName("OPR-2: promtool checks the alerting rules and their unit tests pass (agent down, security updates "
      + "pending 7 days, reboot required, certificate expiring, audit write errors, job failures)")
  void rulesPassPromtool() throws Exception {
    Assumptions.assumeTrue(ExternalCommand.available("promtool"),
        "promtool is not installed (Debian package prometheus: apt-get install prometheus)");
    ExternalCommand check = ExternalCommand.run(List.of("promtool", "check", "rules", RULES.toString()),
        Duration.ofMinutes(1));
    assertThat(check.exitCode()).as(check.output()).isZero();
    assertThat(check.output()).contains("SUCCESS: 7 rules found");
    ExternalCommand unit = ExternalCommand.run(List.of("promtool", "test", "rules", RULE_TESTS.toString()),
        Duration.ofMinutes(2));
    assertThat(unit.exitCode()).as(unit.output()).isZero();
    assertThat(unit.output()).contains("SUCCESS");
    for (String alert : List.of("LinuxPatchApiAgentDown", "LinuxPatchApiSecurityUpdatesPending",
        "LinuxPatchApiRebootRequired", "LinuxPatchApiCertificateExpiring", "LinuxPatchApiAuditWriteErrors",
        "LinuxPatchApiJobFailures")) {
      assertThat(Files.readString(RULE_TESTS)).as("a unit test of " + alert).contains("alertname: " + alert);
    }
  }

  @Test
  @DisplayName("OPR-2: every metric the Grafana dashboard and the alerting rules query is one a real agent exports "
      + "at /metrics after a job (up, Prometheus's own, aside)")
  void queriesUseExportedMetrics() throws Exception {
    AgentUnderTest.assumeSandboxTools();
    try (AgentUnderTest agent = new AgentUnderTest(dir)) {
      agent.useDemoSandbox(AgentUnderTest.TEST_CLIENT_ADMIN);
      agent.start();
      String jobId;
      try (TlsClient client = agent.connect()) {
        TlsClient.Response accepted = client.exchange("POST", "/api/v1/patches/apply", "{\"security_only\":true}",
            "Content-Type: application/json");
        assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
        jobId = new JsonObject(accepted.body()).getJsonObject("data").getString("job_id");
      }
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
        try (TlsClient client = agent.connect()) {
          String status = new JsonObject(client.get("/api/v1/jobs/" + jobId).body()).getJsonObject("data")
              .getString("status");
          return "completed".equals(status);
        }
      });
      Set<String> exported = await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
          .until(() -> exported(agent), names -> names.contains("lpa_jobs_total")
              && names.contains("lpa_job_duration_seconds_bucket"));

      Set<String> dashboard = dashboardMetrics();
      assertThat(dashboard).contains("lpa_updates_available", "lpa_reboot_required", "lpa_certificate_expiry_seconds",
          "lpa_jobs_total", "lpa_audit_write_errors_total");
      assertThat(exported).as("the dashboard's metrics, against what the agent exports").containsAll(dashboard);

      Set<String> rules = metricsOf(Files.readAllLines(RULES).stream().map(String::strip)
          .filter(l -> l.startsWith("expr:")).map(l -> l.substring("expr:".length())).toList());
      rules.remove("up");
      assertThat(rules).contains("lpa_updates_available", "lpa_jobs_total");
      assertThat(exported).as("the alerting rules' metrics, against what the agent exports").containsAll(rules);
    }
  }

  /** The sample names of the agent's {@code /metrics} (a histogram's {@code _bucket}, {@code _sum}, {@code _count}). */
  private static Set<String> exported(AgentUnderTest agent) throws Exception {
    try (TlsClient client = agent.connect()) {
      TlsClient.Response metrics = client.get("/metrics");
      assertThat(metrics.status()).isEqualTo(200);
      return metrics.body().lines().filter(l -> !l.isBlank() && !l.startsWith("#"))
          .map(l -> l.split("[{ ]", 2)[0]).collect(Collectors.toCollection(TreeSet::new));
    }
  }

  /** The metrics of every panel target and of the template variables' {@code label_values(METRIC, label)}. */
  private static Set<String> dashboardMetrics() throws Exception {
    JsonObject dashboard = new JsonObject(Files.readString(DASHBOARD));
    List<String> exprs = new java.util.ArrayList<>();
    for (Object panel : dashboard.getJsonArray("panels")) {
      for (Object target : ((JsonObject) panel).getJsonArray("targets", new JsonArray())) {
        exprs.add(((JsonObject) target).getString("expr"));
      }
    }
    Set<String> metrics = metricsOf(exprs);
    Pattern labelValues = Pattern.compile("label_values\\(\\s*([A-Za-z_:][A-Za-z0-9_:]*)\\s*,");
    for (Object variable : dashboard.getJsonObject("templating").getJsonArray("list")) {
      Matcher m = labelValues.matcher(String.valueOf(((JsonObject) variable).getValue("definition", "")));
      while (m.find()) {
        metrics.add(m.group(1));
      }
    }
    return metrics;
  }

  /**
   * The metric names of PromQL expressions: what is left of each once strings, label matchers, ranges, the label
   * lists of {@code by}/{@code without}/{@code on}, Grafana variables and numbers are taken out, and neither a
   * function (followed by a parenthesis) nor a keyword.
   */
  static Set<String> metricsOf(List<String> exprs) {
    Set<String> names = new TreeSet<>();
    Pattern identifier = Pattern.compile("[A-Za-z_:][A-Za-z0-9_:]*(?=\\s*(\\()?)");
    for (String expr : exprs) {
      String bare = expr.replaceAll("\"[^\"]*\"", "\"\"").replaceAll("\\{[^}]*}", " ")
          .replaceAll("\\[[^]]*]", " ").replaceAll("\\b(by|without|on|ignoring)\\s*\\([^)]*\\)", " ")
          .replaceAll("\\$\\{?\\w+}?", " ").replaceAll("\\b\\d+(\\.\\d+)?\\b", " ");
      Matcher m = identifier.matcher(bare);
      while (m.find()) {
        if (m.group(1) == null && !KEYWORDS.contains(m.group())) {
          names.add(m.group());
        }
      }
    }
    return names;
  }
}
