/**
 * The pages' own styles, on top of hds-core. Mobile first: everything works
 * at 320 px and at 200 % zoom; touch targets are at least 44 px.
 */
export const SITE_CSS = `
html{font-family:var(--font-default);color:var(--color-black-90);background:var(--color-white);-webkit-text-size-adjust:100%}
body{margin:0;line-height:1.5;font-size:var(--fontsize-body-l)}
*,*::before,*::after{box-sizing:border-box}
.visually-hidden{position:absolute!important;width:1px;height:1px;margin:-1px;padding:0;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap;border:0}
abbr[title]{text-decoration:none}
.page-width{max-width:48rem;margin:0 auto;padding:0 var(--spacing-s)}
.skip-link{position:absolute;left:-10000px;top:0;z-index:10;background:var(--color-white);color:var(--color-black-90);padding:var(--spacing-s);font-weight:600}
.skip-link:focus{left:var(--spacing-s)}
a{color:var(--color-bus-dark)}
a:focus-visible,button:focus-visible,input:focus-visible,select:focus-visible,textarea:focus-visible,summary:focus-visible{outline:3px solid var(--color-coat-of-arms);outline-offset:2px;box-shadow:0 0 0 6px var(--color-white)}
.site-header{background:var(--org-color);color:var(--color-white)}
.site-header a{color:var(--color-white)}
.site-header__bar{display:flex;flex-wrap:wrap;align-items:center;justify-content:space-between;gap:var(--spacing-xs);padding-top:var(--spacing-xs);padding-bottom:var(--spacing-xs)}
.brand{display:inline-flex;align-items:center;gap:var(--spacing-xs);min-height:44px;font-weight:700;font-size:var(--fontsize-heading-xs);text-decoration:none}
.brand img{max-height:40px;width:auto}
.lang-switch ul{display:flex;gap:var(--spacing-3-xs);list-style:none;margin:0;padding:0}
.lang-switch a{display:inline-flex;align-items:center;justify-content:center;min-width:44px;min-height:44px;padding:0 var(--spacing-2-xs);font-weight:600}
.lang-switch a[aria-current="true"]{text-decoration:none;border-bottom:3px solid var(--color-white)}
.help-bar{background:var(--color-black-5);border-bottom:1px solid var(--color-black-20)}
.help-bar .page-width{display:flex;flex-wrap:wrap;gap:var(--spacing-xs);align-items:center;justify-content:space-between;padding-top:var(--spacing-2-xs);padding-bottom:var(--spacing-2-xs)}
.help-link{display:inline-flex;align-items:center;min-height:44px;font-weight:700}
.quick-exit{position:sticky;top:0;z-index:5;background:var(--color-brick);padding:var(--spacing-2-xs) 0}
.quick-exit a{display:inline-flex;align-items:center;min-height:44px;padding:0 var(--spacing-s);background:var(--color-white);color:var(--color-brick-dark);font-weight:700}
main{display:block;padding:var(--spacing-m) 0 var(--spacing-xl)}
main:focus{outline:none}
h1{font-size:var(--fontsize-heading-l);line-height:1.2;margin:0 0 var(--spacing-s)}
h2{font-size:var(--fontsize-heading-m);line-height:1.25;margin:var(--spacing-l) 0 var(--spacing-xs)}
h3{font-size:var(--fontsize-heading-s);margin:var(--spacing-m) 0 var(--spacing-2-xs)}
.lead{font-size:var(--fontsize-body-xl)}
.card-list{list-style:none;margin:0;padding:0;display:grid;gap:var(--spacing-s)}
.card{border:2px solid var(--color-black-20);padding:var(--spacing-s)}
.card h3{margin-top:0}
.card p{margin:var(--spacing-3-xs) 0}
.actions{display:flex;flex-wrap:wrap;gap:var(--spacing-s);align-items:center;margin-top:var(--spacing-m)}
.hds-button{min-height:48px}
.emergency{border-left:8px solid var(--color-brick);background:var(--color-brick-light);padding:var(--spacing-s);margin-top:var(--spacing-l)}
.emergency h2{margin-top:0}
.summary-list{margin:0 0 var(--spacing-m);border-top:1px solid var(--color-black-20)}
.summary-list div{display:flex;flex-wrap:wrap;gap:0 var(--spacing-s);padding:var(--spacing-xs) 0;border-bottom:1px solid var(--color-black-20)}
.summary-list dt{font-weight:700;flex:0 0 12rem;max-width:100%}
.summary-list dd{margin:0;flex:1 1 14rem;overflow-wrap:anywhere}
.notice{border-left:8px solid var(--color-coat-of-arms);background:var(--color-coat-of-arms-light);padding:var(--spacing-s);margin:var(--spacing-s) 0}
.notice--alert{border-color:var(--color-engel);background:var(--color-engel-light)}
.notice--success{border-color:var(--color-tram);background:var(--color-tram-light)}
.notice p{margin:0}
.field{margin:0 0 var(--spacing-m)}
.field label,.field legend{display:block;font-weight:600;margin-bottom:var(--spacing-3-xs)}
.field .hint{color:var(--color-black-70);margin:0 0 var(--spacing-3-xs)}
.field input[type=text],.field input[type=email],.field input[type=tel],.field input[type=date],.field select,.field textarea{width:100%;min-height:56px;padding:var(--spacing-xs);border:2px solid var(--color-black-50);font:inherit;background:var(--color-white);color:inherit}
.field textarea{min-height:8rem}
.field--error input,.field--error select,.field--error textarea{border-color:var(--color-error)}
.field .error-text{color:var(--color-error);font-weight:600;margin:0 0 var(--spacing-3-xs)}
.error-summary{border:4px solid var(--color-error);padding:var(--spacing-s);margin-bottom:var(--spacing-m)}
.error-summary:focus{outline:3px solid var(--color-coat-of-arms)}
.error-summary h2{margin-top:0;font-size:var(--fontsize-heading-s)}
.error-summary ul{margin:0;padding-left:var(--spacing-m)}
.error-summary a{color:var(--color-error);font-weight:600}
.site-footer{border-top:4px solid var(--org-color);background:var(--color-black-5);padding:var(--spacing-m) 0}
.site-footer ul{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:var(--spacing-s)}
.site-footer a{display:inline-flex;align-items:center;min-height:44px}
.panel{background:var(--color-tram-light);border:4px solid var(--color-tram);padding:var(--spacing-m);margin-bottom:var(--spacing-m)}
.panel h1{margin:0}
.reference{font-size:var(--fontsize-heading-m);font-weight:700;letter-spacing:.05em;overflow-wrap:anywhere}
fieldset.field{border:0;padding:0;min-width:0}
.field legend{font-size:var(--fontsize-heading-xs);padding:0}
.hds-radio-button,.hds-checkbox{margin:0}
.hds-radio-button .hds-radio-button__label,.hds-checkbox .hds-checkbox__label{padding-top:10px;padding-bottom:10px;min-height:44px;box-sizing:border-box}
.hds-radio-button .hds-radio-button__label:after,.hds-radio-button .hds-radio-button__label:before,.hds-checkbox .hds-checkbox__label:after,.hds-checkbox .hds-checkbox__label:before{top:10px}
.link-button{background:none;border:0;padding:0 var(--spacing-3-xs);min-height:44px;color:var(--color-bus-dark);text-decoration:underline;font:inherit;cursor:pointer}
.caption{color:var(--color-black-70);font-weight:600;margin:0 0 var(--spacing-3-xs)}
.day{border-top:1px solid var(--color-black-20);padding-top:var(--spacing-2-xs)}
.day h3{margin-top:var(--spacing-xs)}
.times{list-style:none;margin:0 0 var(--spacing-s);padding:0;display:flex;flex-wrap:wrap;gap:var(--spacing-2-xs)}
.times--stacked{flex-direction:column;align-items:flex-start}
.times a,.time-button{display:inline-flex;align-items:center;min-height:44px;padding:var(--spacing-3-xs) var(--spacing-xs);border:2px solid var(--color-bus);color:var(--color-bus-dark);background:var(--color-white);font:inherit;font-weight:600;text-decoration:none;cursor:pointer;text-align:left}
.times a:hover,.time-button:hover{background:var(--color-bus-light)}
.week-nav{display:flex;flex-wrap:wrap;justify-content:space-between;gap:var(--spacing-s);margin:var(--spacing-s) 0}
.week-nav a{display:inline-flex;align-items:center;min-height:44px;font-weight:600}
.manage-link{overflow-wrap:anywhere}
.messages{list-style:none;margin:0 0 var(--spacing-m);padding:0}
.message{border-left:6px solid var(--color-black-20);padding:var(--spacing-2-xs) var(--spacing-s);margin-bottom:var(--spacing-s)}
.message--handler{border-color:var(--color-bus);background:var(--color-bus-light)}
.message p{margin:0}
.message__text{white-space:pre-wrap;overflow-wrap:anywhere}
@media print{.site-header,.help-bar,.site-footer,.quick-exit,.no-print{display:none}}
`;
