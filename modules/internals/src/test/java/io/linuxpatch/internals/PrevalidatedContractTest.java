package io.linuxpatch.internals;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.SchemaRepository;
import io.vertx.json.schema.impl.SchemaRepositoryImpl;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.OpenAPIVersion;
import io.vertx.openapi.contract.Operation;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Hook 9: the same contract as vertx-openapi's validating factory gives, for a document that passes it. */
class PrevalidatedContractTest {

  /** A small document with a reference to resolve, a path parameter and a request body. */
  private static final JsonObject DOCUMENT = new JsonObject("""
      {"openapi": "3.1.0", "info": {"title": "t", "version": "1"},
       "paths": {"/items/{name}": {"put": {"operationId": "putItem",
         "parameters": [{"name": "name", "in": "path", "required": true, "schema": {"type": "string"}}],
         "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Item"}}}},
         "responses": {"200": {"description": "ok"}}}}},
       "components": {"schemas": {"Item": {"type": "object", "properties": {"size": {"type": "integer"}},
         "additionalProperties": false}}}}
      """);

  Vertx vertx;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  @DisplayName("resolves the document as OpenAPIContract.from does: same resolved document, operations and schema")
  void sameAsValidated() throws Exception {
    OpenAPIContract validated = OpenAPIContract.from(vertx, DOCUMENT.copy()).await(30, TimeUnit.SECONDS);
    OpenAPIContract prevalidated = PrevalidatedContract.of(vertx, DOCUMENT.copy()).await(30, TimeUnit.SECONDS);
    assertThat(prevalidated.getRawContract()).isEqualTo(validated.getRawContract());
    assertThat(prevalidated.getVersion()).isEqualTo(validated.getVersion());
    List<String> ids = prevalidated.operations().stream().map(Operation::getOperationId).toList();
    assertThat(ids).containsExactlyElementsOf(validated.operations().stream().map(Operation::getOperationId).toList());
    Operation put = prevalidated.operation("putItem");
    assertThat(put.getRequestBody().getContent().get("application/json").getSchema().fieldNames())
        .isEqualTo(validated.operation("putItem").getRequestBody().getContent().get("application/json").getSchema()
            .fieldNames());
  }

  @Test
  @DisplayName("its schema repository, read from the class path, holds what OpenAPIVersion.getRepository loads")
  void sameRepository() throws Exception {
    SchemaRepository expected = OpenAPIVersion.V3_1.getRepository(vertx, PrevalidatedContract.BASE_URI)
        .await(30, TimeUnit.SECONDS);
    SchemaRepository read = PrevalidatedContract.repository31();
    List<String> ids = new ArrayList<>(SchemaRepositoryImpl.DRAFT_202012_META_FILES);
    ids.addAll(OpenAPIVersion.V3_1.schemaFiles());
    assertThat(ids).hasSize(12);
    for (String id : ids) {
      assertThat(read.find(id)).as(id).isNotNull().isEqualTo(expected.find(id));
    }
    assertThat(read.find("https://spec.openapis.org/oas/3.1/schema/2022-10-07").<String>get("$id"))
        .isEqualTo("https://spec.openapis.org/oas/3.1/schema/2022-10-07");
  }
}
