/** Styles of the staff, handler and admin pages, on top of the site's (wider pages, tables, the calendar, charts). */
export const STAFF_CSS = `
.page-width--wide{max-width:72rem}
.staff-bar{background:var(--color-black-5);border-bottom:1px solid var(--color-black-20)}
.staff-bar__inner{display:flex;flex-wrap:wrap;justify-content:space-between;align-items:center;gap:var(--spacing-xs)}
.staff-nav{display:flex;flex-wrap:wrap;gap:0 var(--spacing-s);list-style:none;margin:0;padding:0}
.staff-nav a{display:inline-flex;align-items:center;min-height:44px;font-weight:600}
.staff-nav a[aria-current="page"]{text-decoration:none;border-bottom:3px solid var(--org-color)}
.staff-bar__user{display:flex;flex-wrap:wrap;align-items:center;gap:var(--spacing-xs)}
.staff-bar__user form{margin:0}
.link-button{min-height:44px;background:none;border:0;padding:0 var(--spacing-2-xs);font:inherit;color:var(--color-bus-dark);text-decoration:underline;cursor:pointer}
.table-wrap{overflow-x:auto;margin:0 0 var(--spacing-m)}
table.data{border-collapse:collapse;width:100%;font-size:var(--fontsize-body-m)}
table.data caption{text-align:left;font-weight:700;padding:var(--spacing-2-xs) 0}
table.data th,table.data td{border-bottom:1px solid var(--color-black-20);padding:var(--spacing-2-xs) var(--spacing-xs);text-align:left;vertical-align:top}
table.data th{background:var(--color-black-5)}
table.data td.num,table.data th.num{text-align:right}
.tag{display:inline-block;padding:0 var(--spacing-3-xs);font-size:var(--fontsize-body-s);font-weight:700;border:1px solid currentColor}
.tag--urgent,.tag--overdue{color:var(--color-error);background:var(--color-error-light)}
.tag--ok{color:var(--color-tram-dark);background:var(--color-tram-light)}
.filters{display:flex;flex-wrap:wrap;gap:var(--spacing-s);align-items:flex-end;margin:0 0 var(--spacing-m)}
.filters .field{margin:0;min-width:10rem}
.filters .check{display:flex;align-items:center;gap:var(--spacing-2-xs);min-height:56px}
.filters .check input{width:24px;height:24px}
.choice{display:flex;align-items:center;gap:var(--spacing-xs);min-height:44px}
.choice input{width:24px;height:24px;margin:0}
fieldset.field{border:0;padding:0}
.action-grid{display:grid;gap:var(--spacing-m);grid-template-columns:repeat(auto-fit,minmax(18rem,1fr))}
.action-grid section{border:2px solid var(--color-black-20);padding:var(--spacing-s)}
.action-grid h3{margin-top:0}
.message-list{list-style:none;margin:0;padding:0}
.message-list li{border-left:6px solid var(--color-black-20);padding:var(--spacing-2-xs) var(--spacing-s);margin:0 0 var(--spacing-s);white-space:pre-wrap;overflow-wrap:anywhere}
.message-list li.from-handler{border-color:var(--org-color)}
.message-list .meta{display:block;white-space:normal;color:var(--color-black-70);font-size:var(--fontsize-body-s)}
.day{margin:0 0 var(--spacing-m)}
.day h2{font-size:var(--fontsize-heading-s);margin:var(--spacing-m) 0 var(--spacing-2-xs)}
.slot-list{list-style:none;margin:0;padding:0}
.slot-list li{display:flex;flex-wrap:wrap;gap:var(--spacing-2-xs) var(--spacing-s);align-items:center;padding:var(--spacing-2-xs) var(--spacing-xs);border-left:6px solid var(--color-black-20);margin-bottom:var(--spacing-3-xs);background:var(--color-white)}
.slot-list li.slot--free{border-color:var(--color-tram)}
.slot-list li.slot--busy{border-color:var(--org-color);background:var(--color-black-5)}
.slot-list li.slot--busy-unavailable{border-color:var(--color-black-50)}
.slot-list .time{font-weight:700;min-width:7rem}
.slot-list a{display:inline-flex;align-items:center;min-height:44px;font-weight:600}
.pager{display:flex;flex-wrap:wrap;gap:var(--spacing-s);align-items:center;margin:0 0 var(--spacing-s)}
.pager a{display:inline-flex;align-items:center;min-height:44px}
.chart{max-width:100%;height:auto;display:block;margin:0 0 var(--spacing-m)}
.chart text{font-size:12px;fill:var(--color-black-90)}
.chart .bar{fill:var(--org-color)}
.chart .bar--p90{fill:var(--color-black-50)}
.chart .axis{stroke:var(--color-black-50)}
.legend{display:flex;gap:var(--spacing-s);list-style:none;padding:0;margin:0 0 var(--spacing-xs)}
.legend .swatch{display:inline-block;width:1em;height:1em;margin-right:var(--spacing-3-xs);vertical-align:middle;background:var(--org-color)}
.legend .swatch--p90{background:var(--color-black-50)}
.inline-form{display:inline}
table.data--wide{min-width:48rem}
table.data td.nowrap{white-space:nowrap}
.idle-warning{position:fixed;z-index:20;left:0;right:0;bottom:0;background:var(--color-white);border-top:6px solid var(--color-engel);padding:var(--spacing-s);box-shadow:0 -4px 12px rgba(0,0,0,.2)}
.idle-warning[hidden]{display:none}
.field input[type=password],.field input[type=number]{width:100%;min-height:56px;padding:var(--spacing-xs);border:2px solid var(--color-black-50);font:inherit;background:var(--color-white);color:inherit}
.field--narrow{max-width:24rem}
.field input[type=time]{width:100%;min-height:56px;padding:var(--spacing-xs);border:2px solid var(--color-black-50);font:inherit;background:var(--color-white);color:inherit}
.staff-bar__user a{display:inline-flex;align-items:center;min-height:44px}
.choice input{flex:none}
main h1{overflow-wrap:anywhere}
.unit-roles{border:0;border-top:1px solid var(--color-black-20);margin:0;padding:var(--spacing-2-xs) 0;display:flex;flex-wrap:wrap;gap:0 var(--spacing-m);align-items:center}
.unit-roles legend{float:left;width:100%;font-weight:600;margin:0;padding:var(--spacing-2-xs) 0 0}
.form-id{font-weight:400;font-size:var(--fontsize-body-m)}
textarea.code,table.source code{font-family:monospace;font-size:var(--fontsize-body-s)}
textarea.code{width:100%}
table.source{border-collapse:collapse;width:100%}
table.source th{padding:0 var(--spacing-2-xs);text-align:right;color:var(--color-black-70);font-weight:400;vertical-align:top;user-select:none;border-right:1px solid var(--color-black-20)}
table.source td{padding:0 var(--spacing-2-xs)}
table.source code{white-space:pre}
tr.source__line--finding{background:var(--color-error-light)}
tr.source__line--finding th{color:var(--color-black-90);font-weight:700}
.finding{margin:0 0 var(--spacing-3-xs);padding:var(--spacing-3-xs) var(--spacing-xs);border-left:6px solid var(--color-error);white-space:normal;overflow-wrap:anywhere}
.finding--warning{border-color:var(--color-engel)}
.source__gap td{color:var(--color-black-70);font-style:italic;padding:var(--spacing-3-xs) var(--spacing-xs)}
.source-file{margin:0 0 var(--spacing-m)}
.source-file summary{min-height:44px;display:flex;align-items:center;cursor:pointer;font-weight:600}
.source-file__text{overflow-x:auto;font-size:var(--fontsize-body-s);background:var(--color-black-5);padding:var(--spacing-xs)}
.preview-banner{border:4px dashed var(--color-engel);background:var(--color-engel-light);padding:var(--spacing-s);margin:var(--spacing-s) 0}
.preview-banner p{margin:0 0 var(--spacing-2-xs)}
.preview-banner ol{margin:0 0 var(--spacing-2-xs)}
.preview-banner a{display:inline-flex;align-items:center;min-height:44px}
.preview-banner__links{display:flex;flex-wrap:wrap;gap:var(--spacing-s)}
`;
