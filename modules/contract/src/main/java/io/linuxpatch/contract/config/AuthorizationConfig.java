package io.linuxpatch.contract.config;

import io.linuxpatch.contract.auth.Role;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code authorization} section (SEC-6): client CN globs mapped to roles, first match in file order wins.
 *
 * @param configured false when the section is absent: then every authenticated client is admin, the
 *                   behaviour of the original product
 * @param clients    the rules in file order
 */
public record AuthorizationConfig(boolean configured, List<ClientRule> clients) {

  /** One rule: a CN glob ({@code *} matches any run of characters, {@code ?} one) and the role it grants. */
  public record ClientRule(String cnGlob, Role role) {}

  static AuthorizationConfig read(ConfigReader parent) {
    boolean present = parent.raw("authorization") != null;
    ConfigReader r = parent.section("authorization");
    List<ClientRule> rules = new ArrayList<>();
    Object clients = r.raw("clients");
    if (clients != null && !(clients instanceof JsonObject)) {
      r.problem("clients", "must be a section of \"CN glob\": role pairs");
    } else if (clients instanceof JsonObject map) {
      for (Map.Entry<String, Object> e : map) {
        Role role = e.getValue() instanceof String s ? Role.parse(s) : null;
        if (role == null) {
          r.problem("clients." + e.getKey(), "must be read, operate or admin, got " + e.getValue());
        } else if (e.getKey().isBlank()) {
          r.problem("clients", "a CN glob must not be empty");
        } else {
          rules.add(new ClientRule(e.getKey(), role));
        }
      }
    }
    r.rejectUnknownKeys();
    return new AuthorizationConfig(present, List.copyOf(rules));
  }
}
