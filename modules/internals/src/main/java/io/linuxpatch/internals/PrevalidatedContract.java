package io.linuxpatch.internals;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.OpenAPIVersion;
import io.vertx.openapi.contract.impl.OpenAPIContractImpl;

/**
 * Hook 9, vertx-openapi's contract implementation ({@code io.vertx.openapi.contract.impl.OpenAPIContractImpl}): the
 * agent's own OpenAPI document as a contract, resolved as {@link OpenAPIContract#from(Vertx, JsonObject)} resolves
 * it but without validating it against the OpenAPI meta-schema first. That validation gives the same answer for the
 * same document every time, and was 40 % of the CPU the agent sampled before its first answer (issue 16, JFR); the
 * document ships in the jar, and the build validates it ({@code PrevalidatedContractTest}, the http module's
 * OpenAPI tests, redocly's lint), so a start cannot meet a document that fails it. No public API skips it.
 */
public final class PrevalidatedContract {

  /** The base URI {@link OpenAPIContract#from} gives the schema repository of a document it is handed. */
  static final String BASE_URI = "app://";

  private PrevalidatedContract() {}

  /** The contract of {@code document}, which the build has validated. */
  public static Future<OpenAPIContract> of(Vertx vertx, JsonObject document) {
    OpenAPIVersion version = OpenAPIVersion.fromContract(document);
    return version.getRepository(vertx, BASE_URI)
        .compose(repository -> version.resolve(vertx, repository, document)
            .map(resolved -> new OpenAPIContractImpl(resolved, version, repository)));
  }
}
