import { ReactNode, useState } from 'react';
import { Box, Button } from '@material-ui/core';
import ExpandMoreIcon from '@material-ui/icons/ExpandMore';
import ExpandLessIcon from '@material-ui/icons/ExpandLess';

/** A button that opens and closes a section below it. */
export function Collapsible(props: {
  id: string;
  label: string;
  children: ReactNode;
}) {
  const [open, setOpen] = useState(false);
  return (
    <Box mt={2}>
      <Button
        size="small"
        aria-expanded={open}
        aria-controls={props.id}
        endIcon={open ? <ExpandLessIcon /> : <ExpandMoreIcon />}
        onClick={() => setOpen(!open)}
      >
        {props.label}
      </Button>
      {open && (
        <Box id={props.id} mt={1}>
          {props.children}
        </Box>
      )}
    </Box>
  );
}
