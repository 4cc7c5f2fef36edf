/** Injection tokens for things that are not classes of our own. */
export const APP_CONFIG = Symbol('AppConfig');
export const SQL_CLIENT = Symbol('SqlClient');
