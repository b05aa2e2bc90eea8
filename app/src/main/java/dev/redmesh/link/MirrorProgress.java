package dev.redmesh.link;

import java.util.Optional;

/**
 * Whether Envoy proxies run a PROXY_MIRROR link: implemented by the proxy feature, asked by the fleet
 * leader when it brings link states up to date.
 */
public interface MirrorProgress {

    /** Who mirrors the link's writes now (e.g. "2 proxies of eu-west"), or empty if no proxy runs its mirror. */
    Optional<String> mirroredBy(String linkId);
}
