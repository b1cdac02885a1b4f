// Where the JSON API lives (links in answers are built from it).
export const API_PREFIX = '/api/v1';
