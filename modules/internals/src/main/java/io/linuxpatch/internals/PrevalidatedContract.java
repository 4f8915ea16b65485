package io.linuxpatch.internals;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.Draft;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaOptions;
import io.vertx.json.schema.OutputFormat;
import io.vertx.json.schema.SchemaRepository;
import io.vertx.json.schema.impl.SchemaRepositoryImpl;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.OpenAPIVersion;
import io.vertx.openapi.contract.impl.OpenAPIContractImpl;
import io.vertx.openapi.impl.OpenAPIFormatValidator;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * Hook 9, vertx-openapi's contract implementation ({@code io.vertx.openapi.contract.impl.OpenAPIContractImpl}): the
 * agent's own OpenAPI document as a contract, resolved as {@link OpenAPIContract#from(Vertx, JsonObject)} resolves
 * it but without validating it against the OpenAPI meta-schema first. That validation gives the same answer for the
 * same document every time, and was 40 % of the CPU the agent sampled before its first answer (issue 16, JFR); the
 * document ships in the jar, and the build validates it ({@code PrevalidatedContractTest}, the http module's
 * OpenAPI tests, redocly's lint), so a start cannot meet a document that fails it. No public API skips it.
 *
 * <p>The schema repository is the one {@link OpenAPIVersion#getRepository} makes (same options, format validator,
 * JSON Schema meta-schemas and OpenAPI schemas), but its twelve files are read from the class path directly. Vert.x'
 * file system reads a class-path file by extracting it, and every directory above it, into its file cache, scanning
 * all entries of the jar for each directory: about forty scans of the agent's 31,000-entry jar, a fifth of the CPU
 * sampled before the first answer once the validation was gone (issue 16, JFR of a start with Java 25's AOT cache),
 * and files written under the temporary directory by a root process for nothing.
 */
public final class PrevalidatedContract {

  /** The base URI {@link OpenAPIContract#from} gives the schema repository of a document it is handed. */
  static final String BASE_URI = "app://";

  private PrevalidatedContract() {}

  /** The contract of {@code document}, an OpenAPI 3.1 document which the build has validated. */
  public static Future<OpenAPIContract> of(Vertx vertx, JsonObject document) {
    OpenAPIVersion version = OpenAPIVersion.fromContract(document);
    if (version != OpenAPIVersion.V3_1) {
      return Future.failedFuture(new IllegalArgumentException("the agent's contract is OpenAPI 3.1, not " + version));
    }
    return vertx.executeBlocking(PrevalidatedContract::repository31)
        .compose(repository -> version.resolve(vertx, repository, document)
            .map(resolved -> new OpenAPIContractImpl(resolved, version, repository)));
  }

  /** What {@code OpenAPIVersion.V3_1.getRepository(vertx, BASE_URI)} returns, read from the class path. */
  static SchemaRepository repository31() {
    JsonSchemaOptions options = new JsonSchemaOptions().setDraft(Draft.DRAFT202012).setBaseUri(BASE_URI)
        .setOutputFormat(OutputFormat.Basic);
    SchemaRepository repository = SchemaRepository.create(options, new OpenAPIFormatValidator());
    for (String id : SchemaRepositoryImpl.DRAFT_202012_META_FILES) {
      JsonSchema schema = JsonSchema.of(read(id));
      // as SchemaRepositoryImpl.preloadMetaSchema: the file's own "$id", else "id", else where it was found
      repository.dereference(schema.get("$id", schema.get("id", id)), schema);
    }
    for (String id : OpenAPIVersion.V3_1.schemaFiles()) {
      repository.dereference(id, JsonSchema.of(read(id)));
    }
    return repository;
  }

  /** The schema whose URI is {@code id}, from the class-path resource named by the URI without its scheme. */
  private static JsonObject read(String id) {
    String resource = id.substring(id.indexOf("://") + 3);
    try (InputStream in = PrevalidatedContract.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("schema " + id + " is not on the class path (" + resource + ")");
      }
      return new JsonObject(Buffer.buffer(in.readAllBytes()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read schema " + id, e);
    }
  }
}
