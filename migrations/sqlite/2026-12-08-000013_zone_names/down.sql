DROP TABLE zone_names;
