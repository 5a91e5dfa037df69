DROP TABLE credits;
