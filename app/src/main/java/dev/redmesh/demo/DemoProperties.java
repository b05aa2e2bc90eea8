package dev.redmesh.demo;

import java.nio.file.Path;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The demo ({@code redmesh.demo.*}).
 *
 * @param enabled start three local regions in a mesh with a light write load
 * @param dataDir where the demo regions' redis-servers keep their data, ports and pid files across restarts
 */
@ConfigurationProperties("redmesh.demo")
public record DemoProperties(
        @DefaultValue("false") boolean enabled,
        @DefaultValue("./.redmesh/demo") Path dataDir) {
}
