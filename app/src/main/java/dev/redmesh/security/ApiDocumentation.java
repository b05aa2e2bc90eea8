package dev.redmesh.security;

import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.enums.SecuritySchemeType;
import io.swagger.v3.oas.annotations.info.Info;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.security.SecurityScheme;

import org.springframework.context.annotation.Configuration;

/** The OpenAPI document says how to authenticate, so Swagger UI's "Authorize" takes a token. */
@Configuration(proxyBeanMethods = false)
@OpenAPIDefinition(info = @Info(title = "redmesh API", version = "v1",
        description = "Active-active Redis across regions. Authenticate with `Authorization: Bearer <token>`; "
                + "see docs/security.md for what each role may call."),
        security = @SecurityRequirement(name = "bearer"))
@SecurityScheme(name = "bearer", type = SecuritySchemeType.HTTP, scheme = "bearer", bearerFormat = "rm_<id>_<secret>")
class ApiDocumentation {
}
