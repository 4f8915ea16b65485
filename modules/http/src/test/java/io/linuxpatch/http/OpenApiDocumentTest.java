package io.linuxpatch.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** {@link OpenApiDocument}: the bundled document, its methods per path and its permissions. */
class OpenApiDocumentTest {

  private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options");

  private static OpenApiDocument document;

  @BeforeAll
  static void load() {
    document = OpenApiDocument.load();
  }

  /** Every operation of the document as "METHOD template". */
  private static List<String[]> operations() {
    List<String[]> out = new ArrayList<>();
    JsonObject paths = document.json().getJsonObject("paths");
    for (String template : paths.fieldNames()) {
      for (String method : paths.getJsonObject(template).fieldNames()) {
        if (METHODS.contains(method)) {
          out.add(new String[] {template, method});
        }
      }
    }
    return out;
  }

  @Test
  @DisplayName("The bundled openapi.json loads as an OpenAPI 3.1 document with paths, and bytes() is that document")
  void loads() {
    JsonObject json = document.json();
    assertThat(json.getString("openapi")).startsWith("3.1");
    assertThat(json.getJsonObject("paths").fieldNames()).contains("/health", "/api/v1/health",
        "/api/v1/system/services/{name}", "/api/v1/openapi.json");
    assertThat(new JsonObject(document.bytes())).isEqualTo(json);
  }

  @Test
  @DisplayName("json() hands out a copy: changing it does not change the document")
  void jsonIsACopy() {
    document.json().getJsonObject("paths").clear();
    assertThat(document.json().getJsonObject("paths")).isNotEmpty();
  }

  @Test
  @DisplayName("allowedMethods fills path parameters: a concrete service path allows exactly GET")
  void allowedMethodsForTemplate() {
    assertThat(document.allowedMethods("/api/v1/system/services/ssh.service")).containsExactly("GET");
    assertThat(document.allowedMethods("/api/v1/health")).containsExactly("GET");
  }

  @Test
  @DisplayName("allowedMethods is empty for an unknown path, a missing parameter, an extra segment or a prefix")
  void allowedMethodsUnknown() {
    assertThat(document.allowedMethods("/api/v1/nope")).isEmpty();
    assertThat(document.allowedMethods("/api/v1/system/services/")).isEmpty();
    assertThat(document.allowedMethods("/api/v1/system/services/a/b")).isEmpty();
    assertThat(document.allowedMethods("/api/v1/system")).isEmpty();
    assertThat(document.allowedMethods("/api/v1/health/")).isEmpty();
    assertThat(document.allowedMethods("/api/v1/openapiXjson")).isEmpty();
  }

  @Test
  @DisplayName("permissionOf returns the operation's x-lpa-permission and admin for an unknown operation")
  void permissionOf() {
    assertThat(document.permissionOf("/api/v1/system/services/{name}", HttpMethod.GET)).isEqualTo("read");
    assertThat(document.permissionOf("/api/v1/system/services/{name}", HttpMethod.DELETE)).isEqualTo("admin");
    assertThat(document.permissionOf("/api/v1/unknown", HttpMethod.GET)).isEqualTo("admin");
  }

  @Test
  @DisplayName("Every operation of the document has an operationId and an x-lpa-permission of read, operate or admin")
  void everyOperationHasPermissionAndId() {
    List<String[]> operations = operations();
    assertThat(operations).isNotEmpty();
    Set<String> ids = new HashSet<>();
    JsonObject paths = document.json().getJsonObject("paths");
    for (String[] op : operations) {
      JsonObject operation = paths.getJsonObject(op[0]).getJsonObject(op[1]);
      String where = op[1].toUpperCase() + " " + op[0];
      assertThat(operation.getValue("x-lpa-permission")).as(where + " x-lpa-permission")
          .isIn("read", "operate", "admin");
      assertThat(operation.getValue("operationId")).as(where + " operationId").isInstanceOf(String.class);
      assertThat(ids.add(operation.getString("operationId"))).as(where + " operationId is unique").isTrue();
      assertThat(document.permissionOf(op[0], HttpMethod.valueOf(op[1].toUpperCase())))
          .isEqualTo(operation.getString("x-lpa-permission"));
    }
  }

  @Test
  @Tag("SEC-6")
  @DisplayName("Every operation other than GET needs more than read, since read clients may only GET (SEC-6)")
  void onlyGetIsRead() {
    JsonObject paths = document.json().getJsonObject("paths");
    for (String[] op : operations()) {
      String permission = paths.getJsonObject(op[0]).getJsonObject(op[1]).getString("x-lpa-permission");
      if (!op[1].equals("get") && !op[1].equals("head")) {
        assertThat(permission).as(op[1] + " " + op[0]).isIn("operate", "admin");
      }
    }
  }
}
