-- revision: c88468b7ab0b
-- revises:
-- message: Initial migration
-- created: 2025-01-26T20:56:50Z

-- +upgrade
-- MeshView's schema: the mesh's nodes, every packet heard over MQTT, one row per gateway
-- that heard each packet, and traceroutes.
CREATE TABLE node (
    id VARCHAR NOT NULL PRIMARY KEY,    -- "!a1b2c3d4", the Meshtastic user id
    node_id BIGINT UNIQUE,
    long_name VARCHAR,
    short_name VARCHAR,
    hw_model VARCHAR,
    firmware VARCHAR,
    role VARCHAR,
    last_lat BIGINT,
    last_long BIGINT,
    channel VARCHAR,
    last_update DATETIME
);

CREATE TABLE packet (
    id BIGINT NOT NULL PRIMARY KEY,
    portnum INTEGER,
    from_node_id BIGINT,
    to_node_id BIGINT,
    payload BLOB,                       -- the decoded protobuf, as received
    import_time DATETIME,
    channel VARCHAR
);

-- The same packet reaches many gateways: one row per reception.
CREATE TABLE packet_seen (
    packet_id BIGINT NOT NULL REFERENCES packet (id) ON DELETE CASCADE,
    node_id BIGINT NOT NULL,
    rx_time BIGINT NOT NULL,
    hop_limit INTEGER,
    hop_start INTEGER,
    channel VARCHAR,
    rx_snr FLOAT,
    rx_rssi INTEGER,
    topic VARCHAR,
    import_time DATETIME,
    PRIMARY KEY (packet_id, node_id, rx_time)
);

CREATE TABLE traceroute (
    id INTEGER NOT NULL PRIMARY KEY,
    packet_id BIGINT REFERENCES packet (id),
    gateway_node_id BIGINT,
    done BOOLEAN,
    route BLOB,
    import_time DATETIME
);

-- +downgrade
DROP TABLE traceroute;
DROP TABLE packet_seen;
DROP TABLE packet;
DROP TABLE node;
