import type { SrDocument as SrDocumentData, SrItem } from '../reports/index';

/** One content item as text; React text nodes only, so report text can never become markup. */
function ItemText({ item }: { item: SrItem }) {
  const name = item.name ? <span className="report-item-name">{item.name}: </span> : null;
  switch (item.kind) {
    case 'text':
      return <>{name}<span className="report-text">{item.text}</span></>;
    case 'measurement':
      return <>{name}<span className="report-value">{item.value}{item.unit ? ` ${item.unit}` : ''}</span></>;
    case 'code':
      return <>{name}<span className="report-value">{item.value}</span></>;
    case 'image-reference':
      return (
        <span className="report-image-ref" title={item.ReferencedSOPInstanceUID}>
          {item.name || 'Image'}{item.ReferencedFrameNumber.length ? ` (frame ${item.ReferencedFrameNumber.join(', ')})` : ''}
        </span>
      );
  }
}

function Items({ items }: { items: readonly SrItem[] }) {
  if (items.length === 0) return null;
  return (
    <ul className="report-items">
      {items.map((item, i) => (
        <li key={i} className={`report-item report-item-${item.kind}`}>
          <ItemText item={item} />
          <Items items={item.children} />
        </li>
      ))}
    </ul>
  );
}

/** An SR's sections, as read by `readSrDocument`. */
export function SrDocument({ document }: { document: SrDocumentData }) {
  return (
    <div className="report-sr">
      {document.sections.map((section, i) => (
        <section key={i} className="report-section" data-depth={section.depth}>
          {section.heading && <h3 className="report-section-heading">{section.heading}</h3>}
          <Items items={section.items} />
        </section>
      ))}
      {document.sections.length === 0 && <p className="muted">This report has no content.</p>}
      {document.truncated && <p className="report-note">This report is longer than the viewer shows; read the rest at the hospital that holds it.</p>}
    </div>
  );
}
