package io.linuxpatch.contract.config;

import io.linuxpatch.contract.auth.ClientSelector;
import io.linuxpatch.contract.auth.Role;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code authorization} section (SEC-6): which client certificates get which role on the API.
 *
 * @param configured            false when the section is absent: then every authenticated client may read,
 *                              nothing more (least privilege; the original product made everyone admin)
 * @param allowHostCertificates whether a certificate usable as a host's server certificate (serverAuth) may
 *                              get a role at all; false by default, so one stolen host key opens no other host
 * @param clients               the rules in file order
 */
public record AuthorizationConfig(boolean configured, boolean allowHostCertificates, List<ClientRule> clients) {

  /** One rule: the certificates it names and the role it grants them. */
  public record ClientRule(ClientSelector selector, Role role) {}

  /** The configuration of a file without an {@code authorization} section. */
  public static AuthorizationConfig absent() {
    return new AuthorizationConfig(false, false, List.of());
  }

  static AuthorizationConfig read(ConfigReader parent) {
    boolean present = parent.raw("authorization") != null;
    ConfigReader r = parent.section("authorization");
    boolean allowHostCertificates = r.bool("allow_host_certificates", false);
    List<ClientRule> rules = new ArrayList<>();
    Object clients = r.raw("clients");
    if (clients != null && !(clients instanceof JsonObject)) {
      r.problem("clients", "must be a section of \"CN glob\", \"sha256:FINGERPRINT\" or \"serial:HEX\": role pairs");
    } else if (clients instanceof JsonObject map) {
      Map<String, String> seen = new HashMap<>();
      for (Map.Entry<String, Object> e : map) {
        Role role = e.getValue() instanceof String s ? Role.parse(s) : null;
        ClientSelector selector;
        try {
          selector = ClientSelector.parse(e.getKey());
        } catch (ClientSelector.Invalid invalid) {
          r.problem(e.getKey().isBlank() ? "clients" : "clients." + e.getKey(), invalid.getMessage());
          continue;
        }
        String twin = seen.putIfAbsent(selector.key(), e.getKey());
        if (role == null) {
          r.problem("clients." + e.getKey(), "must be read, operate or admin, got " + e.getValue());
        } else if (twin != null) {
          r.problem("clients." + e.getKey(), "names the same certificate as \"" + twin + "\"");
        } else {
          rules.add(new ClientRule(selector, role));
        }
      }
    }
    r.rejectUnknownKeys();
    return new AuthorizationConfig(present, allowHostCertificates, List.copyOf(rules));
  }
}
