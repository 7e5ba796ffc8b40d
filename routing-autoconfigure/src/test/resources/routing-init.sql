-- Schema initialization records which server ran it: it must always be the primary.
CREATE TABLE IF NOT EXISTS init_marker (id INT AUTO_INCREMENT PRIMARY KEY, server_id INT NOT NULL);
INSERT INTO init_marker (server_id) VALUES (@@server_id);
