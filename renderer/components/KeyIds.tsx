import { Body1, Caption1, Checkbox, makeStyles, mergeClasses, Switch, tokens, useId } from '@fluentui/react-components';
import { useState } from 'react';
import { strings } from '../strings';
import { fullProtectorId, shortProtectorId } from '../volume-status';

const useStyles = makeStyles({
  list: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS },
  key: { display: 'flex', flexDirection: 'column' },
  // Lines the full ID up under the checkbox's label.
  full: { color: tokens.colorNeutralForeground3, fontFamily: tokens.fontFamilyMonospace, overflowWrap: 'anywhere' },
  fullUnderCheckbox: { paddingLeft: '32px' },
  hint: { color: tokens.colorNeutralForeground3 },
});

interface KeyIdsProps {
  ids: readonly string[];
  /** With a selection, several keys are checkboxes; one key, or no selection, is plain text. */
  selection?: { selected: readonly string[]; onToggle: (id: string) => void; labelledBy: string; hint: string };
}

/** Recovery key IDs by their first 8 characters, with the whole identifier on request. */
export function KeyIds({ ids, selection }: KeyIdsProps) {
  const styles = useStyles();
  const [showFull, setShowFull] = useState(false);
  const idPrefix = useId('key-full-');
  const selectable = selection !== undefined && ids.length > 1;

  return (
    <>
      <div className={styles.list} role={selectable ? 'group' : undefined} aria-labelledby={selectable ? selection.labelledBy : undefined}>
        {ids.map((id) => {
          const label = strings.keys.shortId(shortProtectorId(id));
          const fullId = `${idPrefix}${shortProtectorId(id)}`;
          if (!selectable) {
            return (
              <div key={id} className={styles.key}>
                <Body1>{label}</Body1>
                {showFull && <Caption1 className={styles.full}>{fullProtectorId(id)}</Caption1>}
              </div>
            );
          }
          const checked = selection.selected.includes(id);
          // The last checked key stays checked: there must be something to back up.
          const last = checked && selection.selected.length === 1;
          return (
            <div key={id} className={styles.key}>
              <Checkbox
                label={label}
                checked={checked}
                disabled={last}
                aria-describedby={showFull ? fullId : undefined}
                onChange={() => selection.onToggle(id)}
              />
              {showFull && (
                <Caption1 id={fullId} className={mergeClasses(styles.full, styles.fullUnderCheckbox)}>
                  {fullProtectorId(id)}
                </Caption1>
              )}
            </div>
          );
        })}
      </div>
      {selectable && <Caption1 className={styles.hint}>{selection.hint}</Caption1>}
      {/* One key reads as one line; the switch is for telling several apart. */}
      {ids.length > 1 && <Switch label={strings.keys.showFull} checked={showFull} onChange={(_, data) => setShowFull(data.checked)} />}
    </>
  );
}
