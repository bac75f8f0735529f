/**
 * Local files (a CD, a folder, a .zip) opened in the browser are shown as if from one more
 * "site" that is no hospital: this id and label mark them everywhere, so they are never mistaken
 * for images a hospital holds.
 */
export const LocalSiteId = 'local';
export const LocalFilesLabel = 'Local files (not stored at any hospital)';
