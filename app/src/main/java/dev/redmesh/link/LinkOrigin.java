package dev.redmesh.link;

/** Why a link exists, which decides who may remove it. */
public enum LinkOrigin {
    /** Created because both clusters are in one mesh; removed when either leaves it. */
    MESH,
    /** Created by {@code POST /api/v1/links}; removed only by {@code DELETE}. */
    EXPLICIT
}
