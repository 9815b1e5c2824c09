/*!40101 SET NAMES binary*/;
CREATE TABLE `v`(
`x` int
)ENGINE=MyISAM;
