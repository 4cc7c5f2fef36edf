// Progressive enhancement only: every page works without this file.
import { initAll } from '/govuk/govuk-frontend.min.js';
import { initAll as initMoj } from '/moj/moj-frontend.min.js';

initAll();
initMoj();
