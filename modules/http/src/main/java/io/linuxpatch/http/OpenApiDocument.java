package io.linuxpatch.http;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The OpenAPI 3.1 document bundled with the agent (API-7), the source of truth for routes, request
 * validation and the permission each operation needs ({@code x-lpa-permission}). It also answers which
 * methods a path allows, for the {@code Allow} header of a 405.
 */
public final class OpenApiDocument {

  static final String RESOURCE = "openapi.json";

  /** One path template of the document and what it allows. */
  private record PathEntry(Pattern pattern, Set<String> methods) {}

  private final JsonObject json;
  private final Buffer bytes;
  private final List<PathEntry> paths = new ArrayList<>();

  private OpenApiDocument(JsonObject json) {
    this.json = json;
    this.bytes = Buffer.buffer(json.encode());
    JsonObject p = json.getJsonObject("paths", new JsonObject());
    for (String template : p.fieldNames()) {
      Set<String> methods = new TreeSet<>();
      for (String key : p.getJsonObject(template).fieldNames()) {
        if (Set.of("get", "put", "post", "delete", "patch", "head", "options").contains(key)) {
          methods.add(key.toUpperCase(Locale.ROOT));
        }
      }
      paths.add(new PathEntry(templatePattern(template), methods));
    }
  }

  public static OpenApiDocument load() {
    try (InputStream in = OpenApiDocument.class.getClassLoader().getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing from the agent's classpath");
      }
      return new OpenApiDocument(new JsonObject(Buffer.buffer(in.readAllBytes())));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  JsonObject json() {
    return json.copy();
  }

  /**
   * The document as vertx-openapi parses it (routes, request validation; the tests' answer validation): the whole
   * document but its {@code servers} and its global {@code security}. vertx-openapi refuses server variables
   * ("Unsupported feature: Server Variables"), and the paths are absolute anyway; vertx-web-openapi-router would
   * want an authentication handler for the {@code mutualTLS} requirement, which the TLS handshake and
   * {@link ClientAccess} have already met before any route runs. Everything they validate stays as written.
   */
  public JsonObject forContract() {
    JsonObject contract = json.copy();
    contract.remove("servers");
    contract.remove("security");
    return contract;
  }

  /** The raw document as served by {@code GET /api/v1/openapi.json}. */
  Buffer bytes() {
    return bytes;
  }

  /** The methods the document allows on a concrete request path; empty when the path is unknown. */
  Set<String> allowedMethods(String path) {
    Set<String> allowed = new LinkedHashSet<>();
    for (PathEntry entry : paths) {
      if (entry.pattern.matcher(path).matches()) {
        allowed.addAll(entry.methods);
      }
    }
    return allowed;
  }

  /** The {@code x-lpa-permission} of an operation; "admin" when the document forgot one (fail closed). */
  String permissionOf(String template, HttpMethod method) {
    JsonObject op = json.getJsonObject("paths", new JsonObject()).getJsonObject(template, new JsonObject())
        .getJsonObject(method.name().toLowerCase(Locale.ROOT));
    return op == null ? "admin" : op.getString("x-lpa-permission", "admin");
  }

  private static Pattern templatePattern(String template) {
    StringBuilder regex = new StringBuilder();
    for (String part : template.split("(?=\\{)|(?<=\\})")) {
      if (part.startsWith("{") && part.endsWith("}")) {
        regex.append("[^/]+");
      } else {
        regex.append(Pattern.quote(part));
      }
    }
    return Pattern.compile(regex.toString());
  }
}
