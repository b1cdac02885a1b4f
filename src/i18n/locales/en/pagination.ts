// The links under every paged list (views/partials/pager.hbs).
export default {
  label: 'Pages',
  next: 'Next',
  previous: 'Previous',
  first: 'First page',
  malformed: 'This is not a page cursor this list gave out. Start again from the first page.',
  kind_required: 'Name the document kind (kind) whose versions the cursor pages.',
};
